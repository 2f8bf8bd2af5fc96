import { generatedPackages, isoSeconds, type PackageType, type StoredPackage } from '../../dist/stand-in/packages-data.js';

/** One package with an odd name (or other fields), built on a generated one. */
export function odd(id: number, type: PackageType, name: string, overrides: Partial<StoredPackage> = {}): StoredPackage {
  return { ...generatedPackages(1, type, id)[0]!, name, ...overrides };
}

/** Several pages of most types, names that need percent-encoding or quoting, case twins, a number-like name. */
export function largeData(): StoredPackage[] {
  return [
    ...generatedPackages(250, 'container', 1),
    ...generatedPackages(120, 'npm', 1_001),
    ...generatedPackages(101, 'maven', 2_001),
    ...generatedPackages(100, 'rubygems', 3_001),
    ...generatedPackages(30, 'docker', 4_001),
    ...generatedPackages(205, 'nuget', 5_001),
    odd(9_001, 'container', 'team/api-server', { repository: 'api-server' }),
    odd(9_002, 'container', 'team/sub/deep'),
    odd(9_003, 'npm', '@scope/pkg', { repository: 'scope' }),
    odd(9_004, 'npm', '100%-done'),
    odd(9_005, 'container', 'with space'),
    odd(9_006, 'npm', 'ünïcødé-名前'),
    odd(9_007, 'npm', 'café'),
    odd(9_008, 'rubygems', "o'brien"),
    odd(9_009, 'npm', 'CaseName'),
    odd(9_010, 'npm', 'casename', { visibility: 'public' }),
    odd(9_011, 'nuget', '12345'),
    odd(9_012, 'maven', 'under_score'),
    odd(9_013, 'docker', 'star*name'),
    odd(9_014, 'docker', '[bracket]'),
    odd(9_015, 'container', 'a%2Fb'),
    odd(9_016, 'npm', 'emoji-🚀'),
    odd(9_017, 'npm', 'shared-name', { repository: 'shared' }),
    odd(9_018, 'container', 'shared-name'),
    odd(9_019, 'docker', 'shared-name', { visibility: 'public' }),
    odd(9_020, 'npm', 'deleted-one', { deleted_at: isoSeconds(Date.now() - 86_400_000) }),
    // Names SQL compares as numbers against a numeric operand ('012' = 12, '1e2' = 100), and a type's name.
    ...numberLikeNames(9_100),
    odd(9_030, 'docker', 'docker'),
  ];
}

/** nuget packages named like numbers: '12345' and '012345', '1e2' and '100', '7' and '7.0', '012'. */
export function numberLikeNames(firstId: number): StoredPackage[] {
  return ['012345', '1e2', '100', '7', '7.0', '012'].map((name, index) => odd(firstId + index, 'nuget', name));
}
