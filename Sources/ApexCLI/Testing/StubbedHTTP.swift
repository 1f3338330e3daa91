import ApexLLM
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A case's HTTP: every request an `http` step or an agent's http tool makes is answered by the
/// first stub whose method and URL match it, and counted; a request that no stub matches fails
/// as a refused connection would, and fails the case (a case stubs every request it makes).
final class StubbedHTTP: @unchecked Sendable {
    private let stubs: [HTTPStub]
    private let lock = NSLock()
    private var counts: [Int: Int] = [:]
    private var unmatched: [String] = []

    init(_ stubs: [HTTPStub]) {
        self.stubs = stubs
    }

    /// The transport to give the `http` executor.
    var transport: HTTPTransport {
        HTTPTransport { [self] request throws(TransportError) in try answer(request) }
    }

    /// Calls per stub name (stubs that share a name add up).
    var calls: [String: Int] {
        lock.withLock {
            var calls: [String: Int] = [:]
            for (index, stub) in stubs.enumerated() { calls[stub.name, default: 0] += counts[index] ?? 0 }
            return calls
        }
    }

    /// Requests no stub matched, as `METHOD URL`, in order.
    var unmatchedRequests: [String] { lock.withLock { unmatched } }

    private func answer(_ request: HTTPClientRequest) throws(TransportError) -> HTTPClientResponse {
        let method = request.method.rawValue
        let response: HTTPStub.Response? = lock.withLock {
            guard let index = stubs.firstIndex(where: { $0.matches(method: method, url: request.url) }) else {
                unmatched.append("\(method) \(request.url)")
                return nil
            }
            let call = counts[index, default: 0]
            counts[index] = call + 1
            let responses = stubs[index].responses
            return responses[min(call, responses.count - 1)]
        }
        guard let response else { throw .connection("no stub of the test case matches \(method) \(request.url)") }
        var headers = HTTPHeaders()
        for header in response.headers { headers.add(name: header.name, value: header.value) }
        return HTTPClientResponse(status: HTTPResponseStatus(statusCode: response.status), headers: headers,
                                  body: .bytes(ByteBuffer(bytes: response.body)))
    }
}
