export { renderReportHtml } from './report-renderer.js';
export type { ReportOptions } from './report-renderer.js';
