// The ECS deployment configuration for a strategy, as a pure function of the resolved deployment settings.
import { DeploymentStrategy, ResolvedDeployment } from "./resolve";

/** ECS's names for the strategies. */
const ecsStrategies: Record<DeploymentStrategy, string> = {
    rolling: "ROLLING",
    canary: "CANARY",
    linear: "LINEAR",
    "blue-green": "BLUE_GREEN",
};

/** Whether ECS shifts traffic between two target groups (every strategy but rolling). */
export const shiftsTraffic = (strategy: DeploymentStrategy) => strategy !== "rolling";

/** The service's `deploymentConfiguration`: the strategy and only the settings it uses (ECS takes minutes as strings). */
export function deploymentConfiguration(deployment: ResolvedDeployment): {
    strategy: string;
    bakeTimeInMinutes?: string;
    canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: string };
    linearConfiguration?: { stepPercent: number; stepBakeTimeInMinutes: string };
} {
    const strategy = ecsStrategies[deployment.strategy];
    if (!shiftsTraffic(deployment.strategy)) return { strategy };
    const bakeTimeInMinutes = String(deployment.bakeMinutes);
    switch (deployment.strategy) {
        case "canary":
            return {
                strategy,
                bakeTimeInMinutes,
                canaryConfiguration: {
                    canaryPercent: deployment.canaryPercent,
                    canaryBakeTimeInMinutes: String(deployment.canaryBakeMinutes),
                },
            };
        case "linear":
            return {
                strategy,
                bakeTimeInMinutes,
                linearConfiguration: {
                    stepPercent: deployment.linearStepPercent,
                    stepBakeTimeInMinutes: String(deployment.linearStepBakeMinutes),
                },
            };
        default:
            return { strategy, bakeTimeInMinutes };
    }
}
