// For the throughput scenarios (4, 5): auth_user_packages without GitHub's 10,000-item listing cap,
// as the stand-in's listCap switch lifts it, so that 100,000 rows flow through one list. The worker
// imports this module by URL (registerResources).

import { authUserPackages } from '../dist/tables/packages/auth-user-packages.js';
import type { Resource } from '../dist/table/types.js';

export const resources: readonly Resource[] = [
  { ...authUserPackages, methods: authUserPackages.methods.map((method) => (method.paginated ? { ...method, paginated: {} } : method)) },
];
