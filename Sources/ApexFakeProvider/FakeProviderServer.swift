import NIOCore
import NIOHTTP1
import NIOPosix

/// A scripted HTTP server on 127.0.0.1 for tests: it stands in for the OpenAI and Anthropic APIs
/// (and any other HTTP service an `http` step calls) and records every request it receives.
///
/// Each path has a FIFO queue of `FakeResponse`s; a request takes the first entry of its path's queue,
/// or, when its path has no queue, of the queue for any path (a path keeps its queue, even emptied, until
/// `reset()`). A request with nothing scripted gets a 599 and is counted in `unscriptedRequests`, so that
/// a test fails loudly.
///
/// ```swift
/// let server = try await FakeProviderServer.start()
/// server.enqueue(.openAIChat(text: "Hello"), path: "/v1/chat/completions")
/// // point the client at server.openAIBaseURL ...
/// #expect(server.requests(path: "/v1/chat/completions").count == 1)
/// try await server.shutdown()
/// ```
public final class FakeProviderServer: Sendable {
    private let channel: any Channel
    private let state: FakeServerState
    public let port: Int

    private init(channel: any Channel, state: FakeServerState, port: Int) {
        self.channel = channel
        self.state = state
        self.port = port
    }

    /// Starts a server on 127.0.0.1 at a free port.
    public static func start() async throws -> FakeProviderServer {
        let state = FakeServerState()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Each flushed write leaves at once as its own segment, so a client sees the splits a script asks for.
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                guard let connectionID = state.opened(channel) else { return channel.close() }
                channel.closeFuture.whenComplete { _ in state.closed(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(FakeHTTPHandler(state: state, connectionID: connectionID))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            try await channel.close()
            throw FakeServerError.noPort
        }
        return FakeProviderServer(channel: channel, state: state, port: port)
    }

    /// "http://127.0.0.1:PORT"
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The OpenAI base URL: clients POST to `openAIBaseURL + "/chat/completions"`.
    public var openAIBaseURL: String { baseURL + "/v1" }

    /// The Anthropic base URL: clients POST to `anthropicBaseURL + "/v1/messages"`.
    public var anthropicBaseURL: String { baseURL }

    /// Appends `response` to the queue of `path` (exact, without query); nil: to the queue that serves
    /// every path without a queue of its own.
    public func enqueue(_ response: FakeResponse, path: String? = nil) {
        state.enqueue(response, path: path, times: 1)
    }

    /// Appends `response` `times` times, e.g. to fail the first K attempts.
    public func enqueue(_ response: FakeResponse, times: Int, path: String? = nil) {
        precondition(times >= 0, "times must not be negative")
        state.enqueue(response, path: path, times: times)
    }

    /// Every request received, in order.
    public var requests: [RecordedRequest] { state.requests }

    /// The requests received for `path` (exact, without query), in order.
    public func requests(path: String) -> [RecordedRequest] {
        state.requests.filter { $0.path == path }
    }

    /// How many requests found nothing scripted (and got a 599).
    public var unscriptedRequests: Int { state.unscriptedRequests }

    /// How many scripted responses no request has taken yet.
    public var pendingResponses: Int { state.pendingResponses }

    /// Forgets every script and the request log (ids start at 1 again); open connections stay open.
    public func reset() {
        state.reset()
    }

    /// Stops listening and closes every connection, stalled ones included; calling it again does nothing.
    public func shutdown() async throws {
        do {
            try await channel.close()
        } catch ChannelError.alreadyClosed {
            return
        }
        for connection in state.shutDown() {
            // A connection may be closing by itself at the same time; either way it ends closed.
            try? await connection.close()
        }
    }
}

/// Why the fake server could not start.
public enum FakeServerError: Error, Sendable {
    /// The listening socket reported no port.
    case noPort
}
