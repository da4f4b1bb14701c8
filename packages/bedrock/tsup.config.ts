import { packageBuild } from '../../tsup.shared.ts';

export default packageBuild({
  entry: { index: 'src/index.ts', 'cache-points': 'src/cache-points-entry.ts' },
});
