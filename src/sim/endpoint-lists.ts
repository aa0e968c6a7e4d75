import { GrowingColumn, InternTable } from '../util/growing-column.js';
import { formatIpv4, packIpv4, type Endpoint } from './network-catalog.js';

/**
 * Lists of endpoints (a shared pool's exits, an account's own connections) packed into typed
 * arrays: an IPv4 address, an ASN and a country code cost 9 bytes instead of an object and a
 * string. Addresses that are not dotted quads (IPv6) keep their text. Lists are numbered in the
 * order they are added, so a pool's number is its list's number.
 */
export class EndpointLists {
  private readonly ipv4 = new GrowingColumn(Uint32Array);
  private readonly asn = new GrowingColumn(Uint32Array);
  private readonly country = new GrowingColumn(Uint8Array);
  private readonly countries = new InternTable<string>();
  /** Addresses that `packIpv4` cannot pack, by endpoint. */
  private readonly otherIps = new Map<number, string>();
  private readonly listStart = new GrowingColumn(Uint32Array);
  private readonly listSize = new GrowingColumn(Uint32Array);

  get length(): number {
    return this.listStart.length;
  }

  add(endpoints: readonly Endpoint[]): number {
    this.listStart.push(this.asn.length);
    for (const endpoint of endpoints) {
      const packed = packIpv4(endpoint.ip);
      const index = this.ipv4.push(packed ?? 0);
      if (packed === null) this.otherIps.set(index, endpoint.ip);
      this.asn.push(endpoint.asn);
      this.country.push(this.countries.idOf(endpoint.country));
    }
    return this.listSize.push(endpoints.length);
  }

  sizeOf(list: number): number {
    return this.listSize.values[list]!;
  }

  /** Endpoint `k` of list `list`, as a fresh object. */
  endpointAt(list: number, k: number): Endpoint {
    const index = this.listStart.values[list]! + k;
    const ip = this.otherIps.get(index) ?? formatIpv4(this.ipv4.values[index]!);
    return { ip, asn: this.asn.values[index]!, country: this.countries.at(this.country.values[index]!) };
  }

  endpointsOf(list: number): Endpoint[] {
    const out: Endpoint[] = [];
    for (let k = 0, size = this.sizeOf(list); k < size; k++) out.push(this.endpointAt(list, k));
    return out;
  }

  seal(): this {
    for (const column of [this.ipv4, this.asn, this.country, this.listStart, this.listSize]) column.seal();
    this.countries.seal();
    return this;
  }
}
