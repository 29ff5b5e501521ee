// Ryuk's image cannot be pulled here: every container suite cleans up itself (afterAll / await using).
// Imported first by each test file, because vitest workers may not see env changes made in global setup.
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
