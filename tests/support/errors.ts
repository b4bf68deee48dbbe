// Asserts that a resolver refuses input with an ArgumentError that names the argument in its message.
import * as assert from "assert";
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
