import ApexDSL
import Foundation
import NIOCore
import NIOHTTP1

/// Serves one connection: collects each request, logs it, and plays its scripted response.
///
/// It lives on the connection's event loop: every delay is a scheduled task (never a sleep) and is
/// cancelled when the connection closes, so slow responses hold up neither other connections nor shutdown.
/// `HTTPServerPipelineHandler` (in front of it) holds back a keep-alive connection's next request until
/// the current response has ended.
final class FakeHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: FakeServerState
    private let connectionID: Int
    private var requestHead: HTTPRequestHead?
    private var requestBody = ByteBuffer()
    private var pendingDelay: Scheduled<Void>?
    private var isOpen = true

    init(state: FakeServerState, connectionID: Int) {
        self.state = state
        self.connectionID = connectionID
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            requestHead = head
            requestBody.clear()
        case .body(var chunk):
            requestBody.writeBuffer(&chunk)
        case .end:
            guard let head = requestHead else { return }
            requestHead = nil
            respond(to: head, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isOpen = false
        pendingDelay?.cancel()
        pendingDelay = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let headers = head.headers.map { (name: $0.name, value: $0.value) }
        let (request, response) = state.receive(
            connectionID: connectionID, method: head.method.rawValue, target: head.uri, headers: headers,
            body: Data(requestBody.readableBytesView))
        let plan = response?.plan(for: request) ?? Self.unscriptedPlan(request)
        if plan.hangUp {
            context.close(promise: nil)
            return
        }
        after(plan.headDelay, context: context) {
            self.writeHead(plan, version: head.version, keepAlive: head.isKeepAlive, context: context)
            self.writeBody(plan, from: 0, keepAlive: head.isKeepAlive, context: context)
        }
    }

    /// 599 with an OpenAI-style error body, so that a missing script fails loudly in whatever client sent the request.
    private static func unscriptedPlan(_ request: RecordedRequest) -> ResponsePlan {
        let message = "fake server: no scripted response for \(request.path)"
        let body: JSONValue = ["error": ["message": .string(message), "type": "fake_server_unscripted", "param": nil, "code": nil]]
        return ResponsePlan(status: 599, headers: [("content-type", "application/json")], body: .writes([Array(body.compactJSON.utf8)]))
    }

    private func writeHead(_ plan: ResponsePlan, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(plan.headers.map { ($0.name, $0.value) })
        if plan.chunked {
            headers.replaceOrAdd(name: "transfer-encoding", value: "chunked")
        } else {
            headers.replaceOrAdd(name: "content-length", value: String(plan.body.byteCount))
        }
        if !keepAlive { headers.replaceOrAdd(name: "connection", value: "close") }
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: plan.status), headers: headers)
        context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
    }

    /// Sends the body write by write, each flushed on its own after the plan's delay and only once the
    /// previous one is out (so a huge body never piles up in memory), then ends the response.
    private func writeBody(_ plan: ResponsePlan, from position: Int, keepAlive: Bool, context: ChannelHandlerContext) {
        guard let (bytes, next) = plan.body.write(at: position) else {
            finish(plan, keepAlive: keepAlive, context: context)
            return
        }
        after(plan.writeDelay, context: context) {
            let buffer = context.channel.allocator.buffer(bytes: bytes)
            context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(buffer)))).assumeIsolated().whenSuccess {
                self.writeBody(plan, from: next, keepAlive: keepAlive, context: context)
            }
        }
    }

    private func finish(_ plan: ResponsePlan, keepAlive: Bool, context: ChannelHandlerContext) {
        switch plan.ending {
        case .complete:
            let ended = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive { ended.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
        case .disconnect:
            // A moment after the last write: a client that sees the connection break may drop
            // the bytes it had not handed on yet, and the tests check which bytes arrived.
            after(.milliseconds(50), context: context) { context.close(promise: nil) }
        case .stall:
            break
        }
    }

    /// Runs `action` on the event loop after `delay` unless the connection has closed by then.
    private func after(_ delay: Swift.Duration, context: ChannelHandlerContext, _ action: @escaping () -> Void) {
        guard delay > .zero else { return action() }
        pendingDelay = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
            self.pendingDelay = nil
            if self.isOpen { action() }
        }
    }
}
