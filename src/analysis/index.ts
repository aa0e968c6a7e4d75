export { analyzeStore, loadEngineFromStore, type AnalysisOptions, type AnalysisResult, type LoadedStore } from './store-analysis.js';
