export { exportIntelBundle, type IntelExportOptions, type IntelExportResult } from './intel-export.js';
export { buildIntelBundle, clusterConfidence, DISTILLGUARD_EXTENSION_ID, TEMPLATE_SKETCH_TYPE } from './intel-bundle-builder.js';
export type { IntelBundleOptions, SharedCluster, StixBundle, StixObject } from './intel-bundle-builder.js';
export { createCommunityKey, hashIndicator, hashSketchBin, indicatorPattern, parseIndicatorPattern, INDICATOR_KINDS } from './keyed-indicators.js';
export type { CommunityKey, IndicatorKind } from './keyed-indicators.js';
export { isTlpLevel, tlpMarkingId, TLP_LEVELS, type TlpLevel } from './tlp-markings.js';
export { importIntelBundle, type IntelImportResult } from './intel-import.js';
export { readPartnerSightings, type PartnerMatchOptions } from './partner-matcher.js';
export { createTaxiiRoutes, registerTaxiiRoutes, taxiiCollectionId, TAXII_MEDIA_TYPE, STIX_MEDIA_TYPE, TAXII_API_ROOT, type TaxiiRouteOptions } from './taxii-routes.js';
