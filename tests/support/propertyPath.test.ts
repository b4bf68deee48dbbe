// The stand-in engine's ignoreChanges, checked against the cases of pulumi/pulumi's own TestIgnoreChanges
// (pkg/resource/deploy/step_generator_test.go) and the ones the ECS service and listener rule depend on.
import * as assert from "assert";
import { parsePropertyPath, processIgnoreChanges } from "./propertyPath";

const applied = (oldInputs: object, newInputs: object, paths: string[]) =>
    processIgnoreChanges(newInputs as Record<string, unknown>, oldInputs as Record<string, unknown>, paths);

describe("the stand-in engine's ignoreChanges (pulumi/pulumi processIgnoreChanges)", () => {
    it("parses paths as the engine does", () => {
        assert.deepStrictEqual(parsePropertyPath("loadBalancers[0].targetGroupArn"), [
            "loadBalancers",
            0,
            "targetGroupArn",
        ]);
        assert.deepStrictEqual(parsePropertyPath('a.b["c.d"][*].e'), ["a", "b", "c.d", "*", "e"]);
        assert.deepStrictEqual(parsePropertyPath("loadBalancers[0].*.x"), ["loadBalancers", 0, "*", "x"]);
    });

    const cases: [string, object, object, string[], object][] = [
        [
            "present in old and new",
            { a: { b: "foo" } },
            { a: { b: "bar" }, c: 42 },
            ["a.b"],
            { a: { b: "foo" }, c: 42 },
        ],
        ["missing in new", { a: { b: "foo" } }, { a: {}, c: 42 }, ["a.b"], { a: { b: "foo" }, c: 42 }],
        [
            'present in both, with [""]',
            { a: { b: { c: "foo" } } },
            { a: { b: { c: "bar" } }, c: 42 },
            ['a.b["c"]'],
            { a: { b: { c: "foo" } }, c: 42 },
        ],
        ["missing in old deletes", {}, { a: { b: "foo" }, c: 42 }, ["a.b"], { a: {}, c: 42 }],
        ["missing keys in old and new are ok", {}, {}, ["a", "a.b", "a.c[0]"], {}],
        ["missing parent keys in new only", { a: { b: "foo" } }, {}, ["a.b"], {}],
        [
            "arrays of different lengths",
            {
                a: [
                    { b: "foo", c: "bar" },
                    { b: "bar", c: "baz" },
                ],
            },
            {
                a: [
                    { b: "bar", c: "bar" },
                    { b: "qux", c: "baz" },
                    { b: "baz", c: "qux" },
                ],
            },
            ["a[*].b"],
            {
                a: [
                    { b: "foo", c: "bar" },
                    { b: "bar", c: "baz" },
                    { b: "baz", c: "qux" },
                ],
            },
        ],
        [
            "a shorter new array",
            {
                a: [
                    { b: "foo", c: "bar" },
                    { b: "bar", c: "baz" },
                ],
            },
            { a: [{ b: "bar", c: "bar" }] },
            ["a[*].b"],
            { a: [{ b: "foo", c: "bar" }] },
        ],
    ];
    for (const [name, oldInputs, newInputs, paths, expected] of cases) {
        it(name, () => assert.deepStrictEqual(applied(oldInputs, newInputs, paths).inputs, expected));
    }

    it("resets a whole field, which is why ignoring `loadBalancers` froze a service on its first load balancer block", () => {
        const old = { loadBalancers: [{ targetGroupArn: "tg", containerPort: 8080 }] };
        const next = {
            loadBalancers: [{ targetGroupArn: "tg", containerPort: 9090, advancedConfiguration: { x: 1 } }],
        };
        assert.deepStrictEqual(applied(old, next, ["loadBalancers"]).inputs, old);
    });

    it("deletes a nested leaf the old block lacks, and `*` over the old block's keys leaves it alone", () => {
        const old = { loadBalancers: [{ targetGroupArn: "tg", containerPort: 8080 }] };
        const next = {
            loadBalancers: [
                {
                    targetGroupArn: "tg",
                    containerPort: 8080,
                    advancedConfiguration: { alternateTargetGroupArn: "alt" },
                },
            ],
        };
        const direct = applied(old, next, ["loadBalancers[0].advancedConfiguration.alternateTargetGroupArn"]);
        assert.deepStrictEqual(direct.inputs, {
            loadBalancers: [{ targetGroupArn: "tg", containerPort: 8080, advancedConfiguration: {} }],
        });
        assert.deepStrictEqual(applied(old, next, ["loadBalancers[0].*.alternateTargetGroupArn"]).inputs, next);
        const swapped = {
            loadBalancers: [
                {
                    targetGroupArn: "alt",
                    containerPort: 8080,
                    advancedConfiguration: { alternateTargetGroupArn: "tg" },
                },
            ],
        };
        assert.deepStrictEqual(
            applied(swapped, next, ["loadBalancers[0].targetGroupArn", "loadBalancers[0].*.alternateTargetGroupArn"])
                .inputs,
            swapped,
        );
    });

    it("reports a path through an added or removed element as invalid and changes nothing", () => {
        const result = applied({}, { loadBalancers: [{ targetGroupArn: "tg" }] }, ["loadBalancers[0].targetGroupArn"]);
        assert.deepStrictEqual(result.invalidPaths, ["loadBalancers[0].targetGroupArn"]);
        assert.deepStrictEqual(result.inputs, { loadBalancers: [{ targetGroupArn: "tg" }] });
    });
});
