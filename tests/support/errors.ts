// Asserts that a resolver refuses input with an ArgumentError that names the argument in its message.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError } from "../../components/core";

/** `run` must throw an ArgumentError for `argument` whose message names it in backticks and matches `message`. */
export function expectArgumentError(run: () => unknown, argument: string, message: RegExp): void {
    assert.throws(run, (e: unknown) => {
        assert.ok(e instanceof ArgumentError, String(e));
        assert.strictEqual(e.argument, argument);
        assert.ok(e.message.includes(`\`${argument}\``), `the message names \`${argument}\`: ${e.message}`);
        assert.match(e.message, message);
        return true;
    });
}

/** `run` (a component's constructor) must throw a ResourceError whose message names `argument` and matches `message`. */
export function expectResourceError(run: () => unknown, argument: string, message: RegExp): void {
    assert.throws(run, (e: unknown) => {
        assert.ok(pulumi.ResourceError.isInstance(e), String(e));
        const text = (e as Error).message;
        assert.ok(text.includes(`\`${argument}\``), `the message names \`${argument}\`: ${text}`);
        assert.match(text, message);
        return true;
    });
}
