import { packageBuild } from '../../tsup.shared.ts';

// One ESM file with the shebang kept (tsup marks it executable). Dependencies stay external: the
// workspace packages resolve to their built dist/ through their exports.
export default packageBuild({ entry: ['src/main.ts'], format: ['esm'], dts: false });
