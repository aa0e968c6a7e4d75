import { trafficOnlyEngineModule } from '../live-engine.js';

/** The traffic-only engine under the export name a worker loads an engine module by. */
export const liveEngineModule = trafficOnlyEngineModule;
