import type { CachedAnswer } from '@prompt-cache/bedrock';
import type { HttpRequest, HttpResponse } from '@prompt-cache/bedrock-simulator';
import { recordModelCall } from './bedrock-routes.js';
import { hasCacheControls, setCacheHeaders } from './cache-headers.js';
import type { GatewayServices } from './context.js';
import { knownModelId } from './model-ids.js';
import { sendText } from './replies.js';
import { requestId } from './request-ids.js';
import { RequestKeys } from './request-keys.js';

/** A request the lane may answer: a Converse call of a known model, from a known caller, in its own namespace. */
export interface LaneCall {
  modelId: string;
  namespace: string;
}

const PREFIX = '/model/';
const SUFFIX = '/converse';

/**
 * The hit lane: a Converse call whose exact bytes were answered before, answered before routing. When the same
 * bytes come again, their key is known (see RequestKeys), and an entry that is still there is sent as bytes
 * rendered once per entry: no route matching, no request context, no JSON parsing, no key derivation, no SDK.
 * On a hit, the way to a route cost the gateway about as much as the answer itself (docs/BENCHMARKS.md).
 *
 * The lane takes only what the Converse route would answer from the cache with no decision of its own: a model id
 * the route has already accepted, a JSON body, a known caller, no cache controls. Anything else, and any body the
 * lane does not know, goes down the usual path, with the body already read, which answers it (refusals
 * included) exactly as before.
 */
export class HitLane {
  constructor(private readonly services: GatewayServices) {}

  /** The call a request is when the lane may answer it; `undefined` sends it down the usual path. */
  match(request: HttpRequest): LaneCall | undefined {
    if (request.method !== 'POST') return undefined;
    const url = request.url;
    if (url === undefined || !url.startsWith(PREFIX) || !url.endsWith(SUFFIX)) return undefined;
    const modelId = knownModelId(url.slice(PREFIX.length, url.length - SUFFIX.length));
    if (modelId === undefined) return undefined;
    const type = request.headers['content-type'];
    if (type !== undefined && type !== 'application/json') return undefined;
    if (hasCacheControls(request)) return undefined;
    const caller = this.services.auth.tryIdentify(request);
    return caller && { modelId, namespace: caller.namespace };
  }

  /**
   * Answers a matched call from the cache when its bytes were answered before and their entry is still there.
   * `false` when it did not answer (new bytes, an entry gone, a store that failed): the usual path then does.
   */
  async answer(call: LaneCall, body: Buffer, response: HttpResponse, startedAt: number): Promise<boolean> {
    const { services } = this;
    const key = services.requestKeys.get(RequestKeys.idOf(call.namespace, call.modelId, body));
    if (key === undefined) return false;
    const session = services.caches.ready(call.namespace);
    if (session === undefined) return false;
    let answer: CachedAnswer | undefined;
    try {
      answer = await session.controller.lookup(key);
    } catch {
      return false; // never fail a call from here: the usual path answers it
    }
    if (!answer) return false;
    const headers: Record<string, string> = {
      'x-amzn-requestid': requestId(),
      'content-type': 'application/json',
    };
    setCacheHeaders(headers, 'hit', key, { stored: true });
    sendText(response, 200, services.wireAnswers.converse(answer), headers);
    recordModelCall(
      services,
      { operation: 'Converse', namespace: call.namespace, modelId: call.modelId, startedAt },
      'hit',
      key,
      answer.info,
    );
    return true;
  }
}
