export { LocalIam, type DenialReport, type IamSource, type LocalIamOptions } from './local-iam';
export { pollPermissionProblem } from './mapping-permissions';
export { deniedMessage } from './denials';
export { rolePrincipal, ADMIN, type Principal, type RoleCredentials } from './principals';
export type { Decision } from './evaluate';
