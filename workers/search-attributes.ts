import { isGrpcServiceError, type Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { searchAttributeTypes } from '../workflows/search-attributes.js';

const { IndexedValueType } = proto.temporal.api.enums.v1;
/** gRPC's ALREADY_EXISTS (grpc/grpc doc/statuscodes.md): another worker registered them first. */
const ALREADY_EXISTS = 6;
const indexedType = { Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, Int: IndexedValueType.INDEXED_VALUE_TYPE_INT, Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME } as const;

/**
 * Registers the payments' search attributes with the namespace (any Temporal server: PostgreSQL-backed, Cloud,
 * the test server). Registering again is harmless. `npm start` gives them to its dev server as flags instead.
 */
/** Returns what it added (`name=Type`), nothing when all were there. */
export async function ensureSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string): Promise<string[]> {
  const { customAttributes: existing } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.entries(searchAttributeTypes).filter(([name]) => existing?.[name] === undefined);
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, indexedType[type]])) });
  } catch (err) {
    if (!(isGrpcServiceError(err) && Number(err.code) === ALREADY_EXISTS)) throw err;
  }
  return missing.map(([name, type]) => `${name}=${type}`);
}
