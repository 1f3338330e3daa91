import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The one HTTP client of the process, shared by the LLM providers and `http` steps so that
/// connections (and TLS sessions) are reused across calls.
///
/// It follows up to 5 redirects (never in a cycle), gives up connecting after 10 s (at once
/// when the connection is refused), and gives up on a response that stays silent for 10
/// minutes (the vendors' SDK default); a step's own `timeout` bounds an attempt further, and
/// cancelling the calling task cancels the request.
///
/// Requests go through the proxies the process's environment names (`HTTPS_PROXY`,
/// `HTTP_PROXY`, `NO_PROXY`: ``ProxyEnvironment``), each with a client of its own.
public struct HTTPTransport: Sendable {
    public static let shared = HTTPTransport(proxies: ProxyEnvironment(environment: ProcessInfo.processInfo.environment))

    static var configuration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: 5, allowCycles: false),
            timeout: .init(connect: .seconds(10), read: .minutes(10)),
            decompression: .enabled(limit: .ratio(100))
        )
        // A failed connection fails the attempt at once: the step's retry policy (durable,
        // visible in the history) decides what happens next, not a hidden loop in the client.
        configuration.connectionPool.retryConnectionEstablishment = false
        // Hundreds of runs may call one provider at once; 8 connections per host would queue them.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        return configuration
    }

    /// How long a request may take to get its response head, at most.
    static let headDeadline: TimeAmount = .minutes(10)

    /// Answers requests in place of the network (`apex test`'s stubbed endpoints).
    public typealias Responder = @Sendable (HTTPClientRequest) async throws(TransportError) -> HTTPClientResponse

    /// Where requests go: the network (directly, or through the proxy the environment names
    /// for the URL), or a responder.
    private enum Route: Sendable {
        case network(direct: HTTPClient, proxies: ProxyEnvironment, proxied: [ProxyEnvironment.Proxy: HTTPClient])
        case responder(Responder)
    }

    private let route: Route

    /// Clients that reach the network directly and through each proxy of `proxies`.
    init(proxies: ProxyEnvironment) {
        let group = HTTPClient.defaultEventLoopGroup
        var proxied: [ProxyEnvironment.Proxy: HTTPClient] = [:]
        for proxy in [proxies.http, proxies.https].compactMap({ $0 }) where proxied[proxy] == nil {
            var configuration = Self.configuration
            configuration.proxy = switch proxy.kind {
            case .http: .server(host: proxy.host, port: proxy.port, authorization: proxy.credentials.map { .basic(credentials: Data($0.utf8).base64EncodedString()) })
            case .socks5: .socksServer(host: proxy.host, port: proxy.port)
            }
            proxied[proxy] = HTTPClient(eventLoopGroup: group, configuration: configuration)
        }
        route = .network(direct: HTTPClient(eventLoopGroup: group, configuration: Self.configuration), proxies: proxies, proxied: proxied)
    }

    /// A transport whose requests `responder` answers: nothing goes to the network.
    public init(responder: @escaping Responder) {
        route = .responder(responder)
    }

    /// Sends a request and returns once the response head has arrived; the body streams.
    /// Cancelling the calling task cancels the request.
    public func send(_ request: HTTPClientRequest) async throws(TransportError) -> HTTPClientResponse {
        let client: HTTPClient
        switch route {
        case .responder(let responder):
            return try await responder(request)
        case .network(let direct, let proxies, let proxied):
            client = URL(string: request.url).flatMap(proxies.proxy(for:)).flatMap { proxied[$0] } ?? direct
        }
        do {
            return try await client.execute(request, timeout: Self.headDeadline)
        } catch {
            throw TransportError(error)
        }
    }

    /// Reads a whole body, refusing one larger than `limit` bytes.
    public static func collect(_ body: HTTPClientResponse.Body, limit: Int) async throws(TransportError) -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw .tooLarge(limit: limit)
        } catch {
            throw TransportError(error)
        }
    }
}

/// Why a request got no (complete) response. The messages name the failure and never the
/// request's headers or body, so that no key or secret can leak through them.
public enum TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL cannot be requested (no scheme or host, or a scheme other than http/https).
    case invalidURL(String)
    /// No connection, or it broke before the response was complete.
    case connection(String)
    /// Connecting, or waiting for the next bytes, took too long.
    case timeout(String)
    /// The body is larger than the limit.
    case tooLarge(limit: Int)
    /// The calling task was cancelled.
    case cancelled

    init(_ error: any Error) {
        if let error = error as? TransportError { self = error; return }
        if error is CancellationError { self = .cancelled; return }
        if let error = error as? HTTPClientError {
            switch error {
            case .invalidURL, .emptyHost, .emptyScheme:
                self = .invalidURL("\(error)")
            case .cancelled:
                self = .cancelled
            case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                self = .timeout(Self.describe(error))
            default:
                // `unsupportedScheme` carries the scheme, so it cannot be matched as a constant.
                self = "\(error)".contains("unsupportedScheme") ? .invalidURL("\(error)") : .connection(Self.describe(error))
            }
            return
        }
        self = .connection(String(describing: error))
    }

    private static func describe(_ error: HTTPClientError) -> String {
        switch error {
        case .connectTimeout: "connecting timed out"
        case .readTimeout: "the server sent nothing for too long"
        case .writeTimeout: "sending the request timed out"
        case .deadlineExceeded: "the response head did not arrive in time"
        case .tlsHandshakeTimeout: "the TLS handshake timed out"
        case .getConnectionFromPoolTimeout: "no connection became free in time"
        case .remoteConnectionClosed: "the server closed the connection before the response was complete"
        case .redirectLimitReached: "more than 5 redirects"
        case .redirectCycleDetected: "the redirects go in a cycle"
        default: "\(error)"
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let detail): "invalid URL (\(detail))"
        case .connection(let detail): detail
        case .timeout(let detail): detail
        case .tooLarge(let limit): "the response is larger than \(limit) bytes"
        case .cancelled: "the request was cancelled"
        }
    }
}
