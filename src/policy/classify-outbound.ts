import type { Principal } from '../model/principal.js';
import { groupTexts, type TextInventory } from '../model/outbound-inventory.js';
import { headerClasses, keywordReasons, ScanTimeoutError, validSpans, withTimeout, type ScanEntity, type TextScanner } from './classify.js';
import { createDataClassOrder, type DataClassOrder } from '../model/data-classes.js';
import type { PolicyConfig } from './policy-config-schema.js';
import { DATA_CLASS_HEADER, type ClassReason } from './policy-decision.js';
import { InvalidRequestError } from '../errors/gateway-error.js';

/**
 * Classifies what will actually leave: the inventories of the outbound bodies the candidate
 * adapters would send (one per distinct target), each group scanned as the model reads it
 * (adjacent text parts concatenated). The class is the highest any candidate body implies, so
 * failover to another adapter can never send something the decision did not see.
 */

export interface OutboundScan {
  inventory: TextInventory;
  /** The text of each group as the model reads it. */
  texts: string[];
  /** Entities per group, UTF-16 offsets into that group's text. */
  entities: ScanEntity[][];
}

export interface OutboundClassification {
  dataClass: string;
  reasons: ClassReason[];
  /** Per entity type, the most any one candidate body holds. */
  entities: Record<string, number>;
  scanFailed: boolean;
  /** Images and binary parts the gateway cannot read (most of any candidate body). */
  unscannedContent: number;
  /** One per inventory, same order. Holds raw text: keep for the request only (non-enumerable). */
  scans: OutboundScan[];
}

export interface ClassifyOutboundInput {
  inventories: readonly TextInventory[];
  principal?: Pick<Principal, 'department'>;
  headers?: Record<string, string | string[] | undefined>;
}

/** The class unscanned content raises a request to: configured, else `confidential`, else the highest. */
export function unscannedContentClass(policy: PolicyConfig, order: DataClassOrder = createDataClassOrder(policy.data_classes)): string {
  return policy.unscanned_content_class ?? (order.has('confidential') ? 'confidential' : order.highest);
}

async function scanAll(policy: PolicyConfig, scanner: TextScanner, inventories: readonly TextInventory[], now: () => number): Promise<OutboundScan[]> {
  const deadline = now() + policy.scan.timeout_ms;
  const disabled = new Set(policy.detectors.disable);
  // Candidate bodies share almost all their text; each distinct text is scanned once.
  const memo = inventories.length > 1 ? new Map<string, ScanEntity[]>() : undefined;
  const scans: OutboundScan[] = [];
  for (const inventory of inventories) {
    const texts = groupTexts(inventory);
    const entities: ScanEntity[][] = [];
    for (const text of texts) {
      const known = text === '' ? [] : memo?.get(text);
      if (known !== undefined) {
        entities.push(known);
        continue;
      }
      const pending = scanner.scan(text);
      const result = pending instanceof Promise ? await withTimeout(pending, deadline - now()) : pending;
      // Synchronous detectors cannot be interrupted; checking after each text bounds the overrun to one text.
      if (now() > deadline) throw new ScanTimeoutError('scan timed out');
      const found = validSpans(result.entities, text).filter((entity) => entity.score >= policy.detectors.min_score && !disabled.has(entity.type));
      memo?.set(text, found);
      entities.push(found);
    }
    scans.push({ inventory, texts, entities });
  }
  return scans;
}

function hideScans(classification: OutboundClassification): OutboundClassification {
  Object.defineProperty(classification, 'scans', { enumerable: false });
  return classification;
}

export async function classifyOutbound(policy: PolicyConfig, scanner: TextScanner, input: ClassifyOutboundInput, options: { now?: () => number } = {}): Promise<OutboundClassification> {
  const order = createDataClassOrder(policy.data_classes);
  const now = options.now ?? Date.now;
  const defaultClass = policy.default_class ?? order.lowest;
  const reasons: ClassReason[] = [{ source: 'default', class: defaultClass, detail: 'default class' }];
  for (const name of policy.class_header ? headerClasses(input.headers) : []) {
    // An unknown name is refused rather than guessed: the client meant some protection, and silently ignoring it would lower it.
    if (!order.has(name)) throw new InvalidRequestError(`Unknown data class '${name}' in ${DATA_CLASS_HEADER}; known: ${order.names.join(', ')}.`, DATA_CLASS_HEADER);
    reasons.push({ source: 'header', class: name, detail: `${DATA_CLASS_HEADER} header` });
  }
  const department = input.principal?.department;
  const departmentClass = department === undefined ? undefined : policy.departments[department];
  if (departmentClass !== undefined) reasons.push({ source: 'department', class: departmentClass, detail: `department ${department}` });

  const unscannedContent = input.inventories.reduce((most, inventory) => Math.max(most, inventory.unscanned), 0);
  if (unscannedContent > 0) {
    reasons.push({ source: 'unscanned-content', class: unscannedContentClass(policy, order), detail: `${unscannedContent} image or binary part(s) the gateway cannot scan` });
  }

  let scans: OutboundScan[];
  try {
    scans = await scanAll(policy, scanner, input.inventories, now);
  } catch (error) {
    const why = error instanceof ScanTimeoutError ? `scan exceeded ${policy.scan.timeout_ms} ms` : 'scan failed';
    reasons.push({ source: 'scan-failure', class: order.highest, detail: `${why}; treated as the highest class` });
    const failed = input.inventories.map((inventory) => ({ inventory, texts: groupTexts(inventory), entities: inventory.groups.map(() => []) }));
    return hideScans({ dataClass: order.highest, reasons, entities: {}, scanFailed: true, unscannedContent, scans: failed });
  }

  const entities: Record<string, number> = {};
  for (const scan of scans) {
    const counts: Record<string, number> = {};
    for (const found of scan.entities) for (const entity of found) counts[entity.type] = (counts[entity.type] ?? 0) + 1;
    for (const [type, count] of Object.entries(counts)) entities[type] = Math.max(entities[type] ?? 0, count);
  }
  for (const mapping of policy.entity_classes) {
    const count = entities[mapping.entity] ?? 0;
    if (count >= mapping.min_count) reasons.push({ source: 'entity', class: mapping.class, detail: `${mapping.entity} ×${count} ≥ ${mapping.min_count}` });
  }
  if (policy.keywords.length > 0) reasons.push(...keywordReasons(policy, [...new Set(scans.flatMap((scan) => scan.texts))]));
  const dataClass = reasons.reduce((highest, reason) => order.max(highest, reason.class), order.lowest);
  return hideScans({ dataClass, reasons, entities, scanFailed: false, unscannedContent, scans });
}
