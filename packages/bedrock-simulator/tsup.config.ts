import { packageBuild } from '../../tsup.shared.ts';

// The workspace's private HTTP helpers are bundled in: the published package depends on nothing unpublished.
export default packageBuild({
  entry: ['src/index.ts', 'src/cli.ts'],
  noExternal: ['@prompt-cache/http-kit'],
});
