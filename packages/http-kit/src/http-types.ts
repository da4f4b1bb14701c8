import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';

/** A request of Node's HTTP/1.1 or HTTP/2 (compatibility API) server. */
export type HttpRequest = IncomingMessage | Http2ServerRequest;
/** A response of Node's HTTP/1.1 or HTTP/2 (compatibility API) server. */
export type HttpResponse = ServerResponse | Http2ServerResponse;
