// Runs the ImageIndex provider's create in a process of its own, as the engine runs a dynamic provider, so that a
// test can kill it in the middle of writing: `ts-node indexCreateRun.ts '<inputs as JSON>'` prints the outputs.
import { imageIndexProvider } from "../../components/registries/imageIndexProvider";

imageIndexProvider.create(JSON.parse(process.argv[2])).then(
    (created) => process.stdout.write(`${JSON.stringify(created.outs)}\n`),
    (e: Error) => {
        process.stderr.write(`${e.message}\n`);
        process.exit(1);
    },
);
