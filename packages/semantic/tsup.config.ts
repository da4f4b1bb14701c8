import { packageBuild } from '../../tsup.shared.ts';

// The default embedder's packages are optional and loaded on first use: never bundled.
export default packageBuild({ external: [/^@energetic-ai\//] });
