// Image references as Docker and containerd parse them (distribution/reference's grammar), checked before anything
// tries to inspect, load or deploy one.
const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const domainPart = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `(?:${domainPart}(?:\\.${domainPart})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const name = `(?:${domain}/)?${component}(?:/${component})*`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${name})(?::${tag})?(?:@${digest})?$`);

/** True for `app`, `app:1.2`, `registry.example:5000/team/app:1@sha256:…`; false for `Bad Image:::tag`. */
export function isImageReference(ref: string): boolean {
  const match = REFERENCE.exec(ref);
  return match !== null && (match[1] as string).length <= 255;
}

export const IMAGE_REFERENCE_HINT = 'expected [registry[:port]/]name[:tag][@sha256:…] with a lowercase name and no spaces';
