// Child names fitted to the clouds' limits, and names scoped per stack: plain unit tests of the pure functions.
import * as assert from "assert";
import { childName, shortHash, stackScopedName } from "../../components/core";
import { awsNameRules } from "../../components/ecs/names";
import { azureNameRules } from "../../components/aci/names";

/** What AWS auto-naming makes of a logical name: `-` and 7 hex characters appended. */
const awsPhysical = (logical: string) => `${logical}-abcdef0`;
/** What azure-native auto-naming makes of a logical name: 8 hex characters appended. */
const azurePhysical = (logical: string) => `${logical}abcdef01`;

describe("childName", () => {
    it("keeps names that already fit, so existing stacks keep their resources", () => {
        assert.strictEqual(childName("api", "-tg", awsNameRules.targetGroup), "api-tg");
        assert.strictEqual(childName("billing-api", "-execution", awsNameRules.role), "billing-api-execution");
        assert.strictEqual(childName("hello", "-group", azureNameRules.containerGroup), "hello-group");
    });

    it("shortens a long name to the limit, deterministically, with a hash of the whole name", () => {
        const name = "a-very-long-service-name-for-billing";
        const fitted = childName(name, "-tg", awsNameRules.targetGroup);
        assert.strictEqual(fitted, `a-very-long-se-${shortHash(name)}-tg`);
        assert.ok(fitted.length <= 24, fitted);
        assert.ok(awsPhysical(fitted).length <= 32, "the target group's physical name fits 32");
        assert.strictEqual(childName(name, "-tg", awsNameRules.targetGroup), fitted, "the same on every run");
        assert.notStrictEqual(
            childName(`${name}-2`, "-tg", awsNameRules.targetGroup),
            fitted,
            "names that share a prefix stay apart",
        );
    });

    it("fits every AWS limit for any component name", () => {
        const limits: [keyof typeof awsNameRules, number][] = [
            ["loadBalancer", 32],
            ["targetGroup", 32],
            ["role", 64],
            ["medium", 128],
            ["capacityProvider", 255],
            ["securityGroup", 255],
            ["long", 255],
        ];
        for (const name of [
            "x",
            "a".repeat(300),
            "Billing API (eu)",
            "ünïcode_name",
            "--",
            "ecs-api",
            "internal-api",
        ]) {
            for (const [rule, limit] of limits) {
                const physical = awsPhysical(childName(name, "-suffix", awsNameRules[rule]));
                assert.ok(physical.length <= limit, `${rule} ${physical}`);
                assert.match(physical, /^[A-Za-z0-9][A-Za-z0-9-]*$/, `${rule} ${physical}`);
            }
        }
    });

    it("keeps capacity providers off the aws, ecs and fargate prefixes, and load balancers off internal-", () => {
        for (const name of ["ecs-api", "AWS", "fargate", "ECSworker"]) {
            const fitted = childName(name, "-capacity", awsNameRules.capacityProvider);
            assert.ok(!/^(aws|ecs|fargate)/i.test(fitted), fitted);
        }
        assert.strictEqual(childName("api", "-capacity", awsNameRules.capacityProvider), "api-capacity");
        assert.ok(!childName("internal-api", "-alb", awsNameRules.loadBalancer).startsWith("internal-"));
        assert.ok(!childName("sg-api", "-sg", awsNameRules.securityGroup).startsWith("sg-"));
    });

    it("gives Azure container groups lowercase names of at most 63 characters without double hyphens", () => {
        for (const name of ["Hello", "my--api", "x".repeat(80)]) {
            const physical = azurePhysical(childName(name, "-group", azureNameRules.containerGroup));
            assert.ok(physical.length <= 63, physical);
            assert.match(physical, /^[a-z0-9]+(-[a-z0-9]+)*$/, physical);
        }
        assert.ok(azurePhysical(childName("w".repeat(70), "-logs", azureNameRules.workspace)).length <= 63);
    });
});

describe("stackScopedName", () => {
    it("is <project>-<stack>-<name>, so two stacks in one account never share it", () => {
        assert.strictEqual(stackScopedName("shop", "dev", "api"), "shop-dev-api");
        assert.notStrictEqual(stackScopedName("shop", "dev", "api"), stackScopedName("shop", "prod", "api"));
    });

    it("replaces characters ECS refuses in a family and shortens to the limit with a hash", () => {
        const scoped = stackScopedName("shop", "org/dev", "billing api");
        assert.match(scoped, /^shop-org-dev-billing-api-[0-9a-f]{6}$/);
        const long = stackScopedName("shop", "dev", "a".repeat(300));
        assert.strictEqual(long.length, 255);
        assert.match(long, /^[A-Za-z0-9_-]+$/);
        assert.notStrictEqual(long, stackScopedName("shop", "prod", "a".repeat(300)));
    });
});
