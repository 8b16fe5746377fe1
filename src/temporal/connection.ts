// Connecting to Temporal: every client and worker connection goes through here, so each one gets
// the payload codec (nothing reaches Temporal in plaintext) and, for a remote cluster, mTLS.
import fs from 'node:fs';
import { Client, Connection, type DataConverter, type TLSConfig } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Config } from '../config';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { EncryptionCodec } from './codec';
import { type KeyRing, reloadingKeyRing } from './keys';

/** The key ring of this data directory (creating its key file at first start). */
export function keyRing(config: Config): KeyRing {
  return reloadingKeyRing(config.dataDir, config.security.encryptionKeys);
}

export function dataConverter(config: Config, ring: KeyRing = keyRing(config)): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(ring)] };
}

/** mTLS settings from TEMPORAL_TLS_*; undefined for the embedded server, which listens on loopback only. */
export function tlsConfig(config: Config): TLSConfig | undefined {
  const tls = config.temporal.tls;
  if (!tls) return undefined;
  return {
    ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    ...(tls.caPath ? { serverRootCACertificate: fs.readFileSync(tls.caPath) } : {}),
    ...(tls.certPath && tls.keyPath ? { clientCertPair: { crt: fs.readFileSync(tls.certPath), key: fs.readFileSync(tls.keyPath) } } : {}),
  };
}

export function addressOf(config: Config, address?: string): string {
  return address ?? config.temporal.address ?? `127.0.0.1:${config.temporal.devServerPort}`;
}

export async function connectClient(config: Config, address?: string): Promise<Client> {
  const tls = tlsConfig(config);
  const connection = await Connection.connect({ address: addressOf(config, address), ...(tls ? { tls } : {}) });
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverter(config) });
}


/** Registers PaprikaUser/PaprikaKind on servers that lack them (the embedded one has them already). */
export async function ensureSearchAttributes(client: Client): Promise<void> {
  const namespace = client.options.namespace;
  const existing = await client.connection.operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTES.filter((k) => !(k.name in (existing.customAttributes ?? {})));
  if (!missing.length) return;
  await client.connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((k) => [k.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
  });
}
