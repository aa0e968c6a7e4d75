import { trafficOnlyEngineModule } from '../engine/engine-contract.js';

/** The traffic-only engine under the export name a worker loads an engine module by. */
export const liveEngineModule = trafficOnlyEngineModule;
