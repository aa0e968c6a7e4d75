import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceRoutes } from '../service/http/http-app.js';
import { toProblem } from '../service/http/problem-details.js';
import type { ServiceCore } from '../service/service-core.js';
import { ConflictError, ForbiddenError, RetryLaterError } from '../service/service-errors.js';
import { parseDetectionConfig, type DetectionConfig } from '../scoring/index.js';
import type { DuckDbStore } from '../store/duckdb-store.js';
import { listCommunityKeys } from '../store/partner-intel-tables.js';
import type { ApiKeyRecord } from '../store/service-tables.js';
import { addTaxiiObjects, ensureTaxiiTables, queryTaxiiObjects, readTaxiiStatus, saveTaxiiStatus, type TaxiiObjectRecord } from '../store/taxii-tables.js';
import { DistillguardError, InputError, NotFoundError, UsageError } from '../util/errors.js';
import { exportIntelBundle } from './intel-export.js';
import { readIntelBundle, saveIntelBundle } from './intel-import.js';
import { createCommunityKey } from './keyed-indicators.js';
import { stixId } from './stix-identifiers.js';
import { isTlpLevel } from './tlp-markings.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
export const TAXII_ROOT = '/taxii2/';
export const TAXII_API_ROOT = '/taxii2/api/';
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

export interface TaxiiRouteOptions {
  /** The detection config the publish route analyses the store with. */
  config?: DetectionConfig;
  title?: string;
}

type Access = { canRead: boolean; canWrite: boolean };
interface Collection extends Access {
  id: string;
  community: string;
}

/** The collection id of a sharing community: a UUID, as TAXII asks, the same on every server. */
export function taxiiCollectionId(community: string): string {
  return stixId('x-taxii-collection', community).split('--')[1]!;
}

/**
 * A TAXII 2.1 server over the sharing communities whose keys the store holds: one collection
 * per community, readable and writable by admin keys and by partner keys as each key allows.
 * Objects come from the service's own exports (`POST /v1/intel/publish`) and from partners'
 * POSTs, which are also imported as partner indicators, as `intel import` does.
 */
export function createTaxiiRoutes(options: TaxiiRouteOptions = {}): ServiceRoutes {
  return (app, core) => {
    void app.register(async (scope) => registerTaxii(scope, core, options), { prefix: '/taxii2' });
    registerPublishRoute(app, core, options);
  };
}

export const registerTaxiiRoutes: ServiceRoutes = createTaxiiRoutes();

function registerTaxii(scope: FastifyInstance, core: ServiceCore, options: TaxiiRouteOptions): void {
  let tablesReady: Promise<void> | null = null;
  const store = <T>(work: (s: DuckDbStore) => Promise<T>): Promise<T> => {
    tablesReady ??= core.withStore((s) => ensureTaxiiTables(s));
    return tablesReady.then(() => core.withStore(work));
  };
  const maxContentLength = core.config.maxBodyBytes;

  scope.addContentTypeParser('application/taxii+json', { parseAs: 'string', bodyLimit: maxContentLength }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(new InputError(`the request body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
  scope.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.status >= 500 && !(error instanceof DistillguardError && error.operational)) {
      core.logger.error({ err: error, method: request.method, url: request.url }, 'unexpected error while serving a TAXII request');
    }
    if (error instanceof RetryLaterError) void reply.header('retry-after', String(error.retryAfterSeconds));
    return sendTaxii(reply.code(problem.status), { title: problem.title, description: problem.detail, http_status: String(problem.status) });
  });
  scope.setNotFoundHandler((request, reply) =>
    sendTaxii(reply.code(404), { title: 'Not found', description: `no route for ${request.method} ${request.url.split('?')[0]}`, http_status: '404' }),
  );
  scope.addHook('onRequest', async (request) => {
    if (!acceptsTaxii(request.headers.accept)) throw new DistillguardError(`send Accept: ${TAXII_MEDIA_TYPE}`, { httpStatus: 406 });
  });
  scope.addHook('preValidation', async (request) => {
    if (request.method !== 'POST') return;
    if (!isTaxiiMediaType(request.headers['content-type'])) throw new DistillguardError(`send Content-Type: ${TAXII_MEDIA_TYPE}`, { httpStatus: 415 });
  });

  const route = { config: { role: 'partner' as const }, schema: { tags: ['taxii'], security: [{ bearer: [] }] } };
  const collections = async (key: ApiKeyRecord): Promise<Collection[]> => {
    const keys = await store((s) => listCommunityKeys(s));
    const communities = [...new Set(keys.map((entry) => entry.community))];
    return communities
      .map((community) => ({ id: taxiiCollectionId(community), community, ...accessOf(key, community) }))
      .filter((collection) => collection.canRead || collection.canWrite);
  };
  const collection = async (request: FastifyRequest, id: string, need: 'read' | 'write' | 'any'): Promise<Collection> => {
    const keys = await store((s) => listCommunityKeys(s));
    const community = keys.find((entry) => taxiiCollectionId(entry.community) === id)?.community;
    if (community === undefined) throw new NotFoundError(`no collection ${id}`);
    const access = accessOf(request.apiKey!, community);
    if (!access.canRead && !access.canWrite) throw new ForbiddenError(`the key ${request.apiKey!.keyId} is not a member of the sharing community of collection ${id}`);
    if (need === 'read' && !access.canRead) throw new ForbiddenError(`the key ${request.apiKey!.keyId} may not read collection ${id}`);
    if (need === 'write' && !access.canWrite) throw new ForbiddenError(`the key ${request.apiKey!.keyId} may not write to collection ${id}`);
    return { id, community, ...access };
  };
  const describe = (entry: Collection) => ({
    id: entry.id,
    title: entry.community,
    description: `distillguard indicators of the sharing community ${entry.community} (keyed hashes, no raw values)`,
    can_read: entry.canRead,
    can_write: entry.canWrite,
    media_types: [STIX_MEDIA_TYPE],
  });

  scope.get('/', route, async (request, reply) => {
    const base = `${request.protocol}://${request.host}`;
    return sendTaxii(reply, {
      title: options.title ?? 'distillguard TAXII server',
      description: 'Indicators of distillation clusters shared between providers, as STIX 2.1 keyed hashes',
      default: `${base}${TAXII_API_ROOT}`,
      api_roots: [`${base}${TAXII_API_ROOT}`],
    });
  });
  scope.get('/api/', route, async (_request, reply) =>
    sendTaxii(reply, { title: 'distillguard sharing communities', versions: [TAXII_MEDIA_TYPE], max_content_length: maxContentLength }),
  );
  scope.get(`/api/collections/`, route, async (request, reply) => {
    const list = await collections(request.apiKey!);
    return sendTaxii(reply, list.length === 0 ? {} : { collections: list.map(describe) });
  });
  scope.get<{ Params: { collection: string } }>(`/api/collections/:collection/`, route, async (request, reply) =>
    sendTaxii(reply, describe(await collection(request, request.params.collection, 'any'))),
  );

  const page = async (request: FastifyRequest, community: string, ids?: string[]) => {
    const query = request.query as Record<string, string | string[] | undefined>;
    const parsed = parsePageQuery(query);
    const result = await store((s) =>
      queryTaxiiObjects(s, { community, ...parsed, ids: ids ?? listParam(query['match[id]']), types: listParam(query['match[type]']) }),
    );
    return { ...result, limit: parsed.limit };
  };
  const pageHeaders = (reply: FastifyReply, objects: readonly TaxiiObjectRecord[]) => {
    if (objects.length === 0) return;
    void reply.header('X-TAXII-Date-Added-First', formatMicros(objects[0]!.dateAdded));
    void reply.header('X-TAXII-Date-Added-Last', formatMicros(objects.at(-1)!.dateAdded));
  };
  const envelope = (objects: readonly TaxiiObjectRecord[], more: boolean, body: unknown[]) =>
    objects.length === 0 ? { more: false } : { more, ...(more ? { next: encodeCursor(objects.at(-1)!) } : {}), objects: body };

  scope.get<{ Params: { collection: string } }>(`/api/collections/:collection/objects/`, route, async (request, reply) => {
    const { community } = await collection(request, request.params.collection, 'read');
    const { objects, more } = await page(request, community);
    pageHeaders(reply, objects);
    return sendTaxii(reply, envelope(objects, more, objects.map((entry) => entry.object)));
  });
  scope.get<{ Params: { collection: string; object: string } }>(`/api/collections/:collection/objects/:object/`, route, async (request, reply) => {
    const { community } = await collection(request, request.params.collection, 'read');
    const { objects, more } = await page(request, community, [request.params.object]);
    if (objects.length === 0 && (request.query as Record<string, unknown>).next === undefined) throw new NotFoundError(`no object ${request.params.object} in collection ${request.params.collection}`);
    pageHeaders(reply, objects);
    return sendTaxii(reply, envelope(objects, more, objects.map((entry) => entry.object)));
  });
  scope.get<{ Params: { collection: string } }>(`/api/collections/:collection/manifest/`, route, async (request, reply) => {
    const { community } = await collection(request, request.params.collection, 'read');
    const { objects, more } = await page(request, community);
    pageHeaders(reply, objects);
    return sendTaxii(
      reply,
      envelope(
        objects,
        more,
        objects.map((entry) => ({ id: entry.id, date_added: formatMicros(entry.dateAdded), version: entry.version, media_type: STIX_MEDIA_TYPE })),
      ),
    );
  });

  scope.post<{ Params: { collection: string }; Body: unknown }>(
    `/api/collections/:collection/objects/`,
    { ...route, bodyLimit: maxContentLength },
    async (request, reply) => {
      const { community } = await collection(request, request.params.collection, 'write');
      const body = request.body as { objects?: unknown } | null;
      if (typeof body !== 'object' || body === null || !Array.isArray(body.objects)) throw new InputError('expected a TAXII envelope: an object with an "objects" array');
      const now = Date.now();
      const valid: Omit<TaxiiObjectRecord, 'dateAdded'>[] = [];
      const failures: { id: string; version?: string; message: string }[] = [];
      for (const item of body.objects as unknown[]) {
        const checked = checkObject(item, now);
        if ('message' in checked) failures.push(checked);
        else valid.push(checked);
      }
      const keys = (await store((s) => listCommunityKeys(s))).filter((entry) => entry.community === community);
      const bundle = { type: 'bundle', id: `bundle--${randomUUID()}`, objects: valid.map((entry) => entry.object) };
      const read = valid.length === 0 ? [] : keys.map((entry) => readIntelBundle(bundle, createCommunityKey(entry.community, entry.key), now));
      const { added, present } = await store(async (s) => {
        const result = await addTaxiiObjects(s, community, valid, now);
        for (const each of read) await saveIntelBundle(s, each, now);
        return result;
      });
      const versionOf = new Map(valid.map((entry) => [entry.id, entry.version]));
      const status = {
        id: randomUUID(),
        status: 'complete',
        request_timestamp: new Date(now).toISOString(),
        total_count: body.objects.length,
        success_count: added.length + present.length,
        successes: [...added.map((id) => ({ id, version: versionOf.get(id)! })), ...present.map((id) => ({ id, version: versionOf.get(id)!, message: 'already held' }))],
        failure_count: failures.length,
        failures,
        pending_count: 0,
        pendings: [],
      };
      await store((s) => saveTaxiiStatus(s, { id: status.id, community, keyId: request.apiKey!.keyId, document: status, createdAt: now }));
      core.logger.info({ community, keyId: request.apiKey!.keyId, added: added.length, failed: failures.length }, 'TAXII objects received');
      return sendTaxii(reply.code(202), status);
    },
  );

  scope.get<{ Params: { status: string } }>('/api/status/:status/', route, async (request, reply) => {
    const found = await store((s) => readTaxiiStatus(s, request.params.status));
    // A status is its poster's: another key learns nothing of it, not even that it exists.
    if (found === null || (request.apiKey!.role !== 'admin' && found.keyId !== request.apiKey!.keyId)) throw new NotFoundError(`no status ${request.params.status}`);
    return sendTaxii(reply, found.document);
  });
}

/** Publishing the service's own export into a community's collection (role analyst). */
function registerPublishRoute(app: FastifyInstance, core: ServiceCore, options: TaxiiRouteOptions): void {
  app.post<{ Body: { community: string; producer?: string; tlp?: string; only_confirmed?: boolean; key_id?: string } }>(
    '/v1/intel/publish',
    {
      config: { role: 'analyst' },
      schema: {
        summary: "Export this store's confirmed and flagged clusters (as `intel export`) into a sharing community's TAXII collection",
        tags: ['analyst'],
        security: [{ bearer: [] }],
        body: {
          type: 'object',
          required: ['community'],
          additionalProperties: false,
          properties: {
            community: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
            producer: { type: 'string', minLength: 1, maxLength: 200, default: 'distillguard' },
            tlp: { type: 'string', default: 'amber' },
            only_confirmed: { type: 'boolean', default: false },
            key_id: { type: 'string', description: 'which of the community keys the store holds to use, when it holds more than one' },
          },
        },
      },
    },
    async (request) => {
      const { community, producer = 'distillguard', tlp = 'amber', only_confirmed: onlyConfirmed = false, key_id: keyId } = request.body;
      if (!isTlpLevel(tlp)) throw new UsageError(`tlp: expected clear, green, amber, amber+strict or red, got ${JSON.stringify(tlp)}`);
      const keys = (await core.withStore((s) => listCommunityKeys(s))).filter((entry) => entry.community === community && (keyId === undefined || entry.keyId === keyId));
      if (keys.length === 0) throw new NotFoundError(`the store holds no key of the sharing community ${community}${keyId === undefined ? '' : ` with id ${keyId}`}: add it with \`distillguard intel import\` or \`intel publish\` before serving`);
      if (keys.length > 1) throw new ConflictError(`the store holds ${keys.length} keys of ${community} (${keys.map((entry) => entry.keyId).join(', ')}): name one with key_id`);
      const snapshot = await core.snapshot();
      let result;
      try {
        result = await exportIntelBundle(snapshot, {
          key: createCommunityKey(community, keys[0]!.key),
          producer,
          tlp,
          config: options.config ?? parseDetectionConfig(),
          includeFlagged: !onlyConfirmed,
          logger: core.logger,
        });
      } finally {
        snapshot.close();
      }
      const now = Date.now();
      const records = result.bundle.objects.map((object) => checkObject(object, now)).filter((entry): entry is Omit<TaxiiObjectRecord, 'dateAdded'> => !('message' in entry));
      const { added } = await core.withStore(async (s) => {
        await ensureTaxiiTables(s);
        return addTaxiiObjects(s, community, records, now);
      });
      return { collection: taxiiCollectionId(community), community, clusters: result.clusters, indicators: result.indicators, templates: result.templates, objects: records.length, added: added.length };
    },
  );
}

function accessOf(key: ApiKeyRecord, community: string): Access {
  if (key.role === 'admin') return { canRead: true, canWrite: true };
  const entry = key.communities?.find((item) => item.community === community);
  return { canRead: entry?.canRead ?? false, canWrite: entry?.canWrite ?? false };
}

function checkObject(item: unknown, now: number): Omit<TaxiiObjectRecord, 'dateAdded'> | { id: string; message: string } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return { id: '', message: 'not a JSON object' };
  const object = item as Record<string, unknown>;
  const id = typeof object.id === 'string' ? object.id : '';
  if (typeof object.type !== 'string' || !/^[a-z0-9-]{3,250}--[0-9a-f-]{36}$/.test(id) || !id.startsWith(`${object.type}--`)) {
    return { id, message: 'a STIX object needs a type and an id of the form <type>--<UUID>' };
  }
  const specVersion = typeof object.spec_version === 'string' ? object.spec_version : '2.1';
  const version = [object.modified, object.created].find((value): value is string => typeof value === 'string' && Number.isFinite(Date.parse(value))) ?? new Date(now).toISOString();
  return { id, type: object.type, version, specVersion, object };
}

function sendTaxii(reply: FastifyReply, body: unknown): FastifyReply {
  // A Buffer, because Fastify rewrites the media type of a string body (adding a charset, quoting the version), and TAXII clients compare it as written.
  return reply.header('content-type', TAXII_MEDIA_TYPE).send(Buffer.from(JSON.stringify(body), 'utf8'));
}

function parseMediaType(value: string): { essence: string; version: string | undefined } {
  const [essence = '', ...params] = value.split(';').map((part) => part.trim());
  const version = params.map((param) => /^version\s*=\s*"?([^"]*)"?$/i.exec(param)?.[1]).find((found) => found !== undefined);
  return { essence: essence.toLowerCase(), version };
}

function isTaxiiMediaType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const { essence, version } = parseMediaType(value);
  return essence === 'application/taxii+json' && (version === undefined || version === '2.1');
}

function acceptsTaxii(accept: string | undefined): boolean {
  return accept !== undefined && accept.split(',').some((entry) => isTaxiiMediaType(entry.replace(/;\s*q=[0-9.]+/i, '')));
}

function listParam(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(',')).map((item) => item.trim()).filter((item) => item.length > 0);
}

function parsePageQuery(query: Record<string, string | string[] | undefined>): {
  limit: number;
  addedAfter?: number;
  after?: { dateAdded: number; id: string; version: string };
  latestOnly: boolean;
} {
  const one = (name: string) => {
    const value = query[name];
    if (Array.isArray(value)) throw new UsageError(`${name} may be given once`);
    return value;
  };
  const limitText = one('limit');
  let limit = DEFAULT_PAGE;
  if (limitText !== undefined) {
    limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`limit: expected a positive whole number, got ${JSON.stringify(limitText)}`);
    limit = Math.min(limit, MAX_PAGE);
  }
  const addedAfterText = one('added_after');
  const addedAfter = addedAfterText === undefined ? undefined : parseMicros(addedAfterText);
  if (addedAfter === null) throw new UsageError(`added_after: expected a timestamp such as 2026-12-03T15:09:13.849Z, got ${JSON.stringify(addedAfterText)}`);
  const nextText = one('next');
  const after = nextText === undefined ? undefined : decodeCursor(nextText);
  const version = one('match[version]') ?? 'last';
  if (version !== 'last' && version !== 'all') throw new UsageError('match[version]: this server answers last (the default) or all');
  return { limit, ...(addedAfter !== undefined ? { addedAfter } : {}), ...(after !== undefined ? { after } : {}), latestOnly: version === 'last' };
}

/** TAXII timestamps here carry microseconds, the resolution `date_added` is kept at. */
export function formatMicros(micros: number): string {
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return `${iso.slice(0, 23)}${String(micros % 1000).padStart(3, '0')}Z`;
}

export function parseMicros(text: string): number | null {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
  if (match === null) return null;
  const seconds = Date.parse(`${match[1]}Z`);
  if (!Number.isFinite(seconds)) return null;
  return seconds * 1000 + Number((match[2] ?? '').padEnd(6, '0').slice(0, 6));
}

function encodeCursor(last: TaxiiObjectRecord): string {
  return Buffer.from(JSON.stringify([last.dateAdded, last.id, last.version])).toString('base64url');
}

function decodeCursor(text: string): { dateAdded: number; id: string; version: string } {
  try {
    const [dateAdded, id, version] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [unknown, unknown, unknown];
    if (typeof dateAdded === 'number' && typeof id === 'string' && typeof version === 'string') return { dateAdded, id, version };
  } catch {
    // answered below
  }
  throw new UsageError('next: not a value this server gave');
}
