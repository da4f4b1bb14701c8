import { packageBuild } from '../../tsup.shared.ts';

// ESM only: the gateway is an app. The dashboard's static files stay in public/ beside dist/.
export default packageBuild({ format: ['esm'] });
