import ApexDSL
import ApexFakeProvider
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A fake server and a client that talks to it over loopback; both are shut down after `body`.
func withFakeServer(_ body: (FakeProviderServer, FakeServerClient) async throws -> Void) async throws {
    let server = try await FakeProviderServer.start()
    let client = FakeServerClient(server: server)
    do {
        try await body(server, client)
    } catch {
        try? await client.http.shutdown()
        try? await server.shutdown()
        throw error
    }
    try await client.http.shutdown()
    try await server.shutdown()
}

/// A plain AsyncHTTPClient that does not follow redirects, with timeouts that end a hung test
/// but leave room for a machine busy with other suites.
struct FakeServerClient {
    let server: FakeProviderServer
    let http = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(30)))
    )

    /// A response with its whole body (up to 16 MiB).
    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
        var text: String { String(buffer: body) }
        var json: JSONValue? { try? JSONValue(parsing: text) }
        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    func send(_ path: String, method: HTTPMethod = .POST, headers: [(String, String)] = [], body: String? = nil) async throws
        -> HTTPClientResponse
    {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        return try await http.execute(request, timeout: .seconds(30))
    }

    func fetch(_ path: String, method: HTTPMethod = .POST, headers: [(String, String)] = [], body: String? = nil) async throws -> Reply {
        let response = try await send(path, method: method, headers: headers, body: body)
        return Reply(status: Int(response.status.code), headers: response.headers, body: try await response.body.collect(upTo: 16 << 20))
    }

    /// POSTs `json` and reads the body until it ends or breaks: the bytes received and whether the body broke off.
    func fetchPartially(_ path: String, json: JSONValue) async throws -> (body: String, broke: Bool) {
        let response = try await send(path, headers: [("content-type", "application/json")], body: json.compactJSON)
        var received = ByteBuffer()
        do {
            for try await var chunk in response.body { received.writeBuffer(&chunk) }
            return (String(buffer: received), false)
        } catch {
            return (String(buffer: received), true)
        }
    }
}

/// One parsed server-sent event.
struct ParsedSSEEvent: Equatable {
    var name: String?
    var data: String
    var json: JSONValue? { try? JSONValue(parsing: data) }
}

/// Parses a whole SSE body the way the engine must: events end at a blank line, LF or CRLF line ends,
/// `:` lines are comments, one optional space after the colon, several `data:` lines join with "\n".
func parseSSE(_ text: String) -> [ParsedSSEEvent] {
    var events: [ParsedSSEEvent] = []
    var name: String?
    var data: [String] = []
    for rawLine in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
        let line = String(rawLine)
        if line.isEmpty {
            if !data.isEmpty { events.append(ParsedSSEEvent(name: name, data: data.joined(separator: "\n"))) }
            name = nil
            data = []
            continue
        }
        if line.hasPrefix(":") { continue }
        let field = line.prefix { $0 != ":" }
        var value = line.dropFirst(field.count + 1)
        if value.hasPrefix(" ") { value = value.dropFirst() }
        switch field {
        case "event": name = String(value)
        case "data": data.append(String(value))
        default: break
        }
    }
    return events
}
