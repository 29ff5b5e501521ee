// `node harness/images/main.ts`: build (or reuse) the sample app image and print its tag.
import { buildSampleAppImage } from './sample-app-image.ts';

try {
  const image = await buildSampleAppImage();
  console.log(`${image.tag} (${image.built ? 'built' : 'cached'}, ${(image.sizeBytes / 1e6).toFixed(0)} MB, base ${image.base.image} [${image.base.kind}])`);
} catch (error) {
  console.error(`images: ${(error as Error).message}`);
  process.exit(2);
}
