import ApexDSL
import ApexEngine
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One POST to a provider and the reading of its answer, shared by the providers: sends the
/// JSON body, maps a non-2xx answer to its error, and feeds a 2xx answer (an event stream or a
/// whole JSON body) to a ``ReplyAssembler``, reporting each piece of text as it arrives.
struct ProviderExchange {
    /// The largest reply read, streamed or whole: past it the call fails (`llm.server_error`).
    static let replyLimit = 8 * 1024 * 1024
    /// The largest error body read; a longer one is cut.
    static let errorBodyLimit = 64 * 1024

    var transport: HTTPTransport
    var context: ProviderContext
    /// The response header with the request id: `x-request-id` (OpenAI), `request-id` (Anthropic).
    var requestIDHeader: String

    /// An answer that is not a success.
    struct Failure {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: ProviderErrorBody?
        var text: String?
    }

    /// Posts `body` to `url`. A non-2xx answer is returned as a ``Failure`` (so that a caller
    /// may retry differently); any other problem throws.
    func post<Assembler: ReplyAssembler>(
        _ url: String, headers: HTTPHeaders, body: JSONValue, assembler: inout Assembler, progress: ActivityProgress
    ) async throws(LLMError) -> Failure? {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.headers.replaceOrAdd(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body.compactJSON))
        var context = self.context
        do {
            let response = try await transport.send(request)
            context.requestID = response.headers.first(name: requestIDHeader)
            guard (200..<300).contains(response.status.code) else {
                return try await failure(response)
            }
            try await read(response, into: &assembler, progress: progress, context: context)
            return nil
        } catch let error as LLMError {
            throw Task.isCancelled ? .cancelled : error
        } catch {
            // A cancelled task can surface as a closed connection or an ended body: report the cancellation.
            throw Task.isCancelled ? .cancelled : TransportError(error).llmError(context)
        }
    }

    /// The error an answer maps to, for a caller that does not retry it.
    func error(for failure: Failure) -> LLMError {
        var context = self.context
        context.requestID = failure.headers.first(name: requestIDHeader) ?? failure.body?.requestID
        return HTTPStatusMapping.error(status: failure.status, headers: failure.headers, body: failure.body, text: failure.text, context: context)
    }

    private func failure(_ response: HTTPClientResponse) async throws -> Failure {
        var failure = Failure(status: response.status, headers: response.headers)
        var bytes = ByteBuffer()
        for try await chunk in response.body {
            var chunk = chunk
            bytes.writeBuffer(&chunk)
            if bytes.readableBytes >= Self.errorBodyLimit { break }
        }
        let text = String(decoding: bytes.readableBytesView.prefix(Self.errorBodyLimit), as: UTF8.self)
        failure.body = (try? JSONValue(parsing: text)).flatMap(ProviderErrorBody.init(json:))
        failure.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return failure
    }

    private func read<Assembler: ReplyAssembler>(
        _ response: HTTPClientResponse, into assembler: inout Assembler, progress: ActivityProgress, context: ProviderContext
    ) async throws {
        let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
        var iterator = response.body.makeAsyncIterator()
        guard var first = try await iterator.next() else {
            throw context.error("llm.server_error", "the provider answered \(response.status.code) with an empty body")
        }
        let format = Self.format(contentType: contentType, firstBytes: first)
        var received = first.readableBytes
        guard format != .other else {
            let excerpt = String(decoding: first.readableBytesView.prefix(200), as: UTF8.self)
            throw context.error("llm.server_error", "the provider answered with something that is not a reply (content type \"\(contentType)\"): \(ProviderContext.quoted(excerpt))")
        }
        if format == .json {
            while let chunk = try await iterator.next() {
                var chunk = chunk
                received += chunk.readableBytes
                guard received <= Self.replyLimit else { throw TransportError.tooLarge(limit: Self.replyLimit) }
                first.writeBuffer(&chunk)
            }
            let text = String(decoding: first.readableBytesView, as: UTF8.self)
            guard let json = try? JSONValue(parsing: text) else {
                throw context.error("llm.server_error", "the provider answered with something that is not JSON: \(ProviderContext.quoted(String(text.prefix(200))))")
            }
            try withRequestID(context) { () throws(LLMError) in try assembler.take(whole: json) }
            progress.text(assembler.reply.text)
            return
        }
        var parser = SSEParser()
        var chunk: ByteBuffer? = first
        while let bytes = chunk {
            for event in parser.feed(bytes.readableBytesView) where !assembler.isComplete {
                let piece = try withRequestID(context) { () throws(LLMError) in try assembler.take(event) }
                progress.text(piece)
            }
            if assembler.isComplete { return }
            chunk = try await iterator.next()
            received += chunk?.readableBytes ?? 0
            guard received <= Self.replyLimit else { throw TransportError.tooLarge(limit: Self.replyLimit) }
        }
        for event in parser.finish() where !assembler.isComplete {
            let piece = try withRequestID(context) { () throws(LLMError) in try assembler.take(event) }
            progress.text(piece)
        }
        if Task.isCancelled { throw LLMError.cancelled }
        guard assembler.isComplete else {
            throw context.error("llm.server_error", "the stream ended before \(Assembler.endMarker): the reply is incomplete")
        }
    }

    /// Runs `body`, adding the request id to the message of the error it throws.
    private func withRequestID<T>(_ context: ProviderContext, _ body: () throws(LLMError) -> T) throws(LLMError) -> T {
        do {
            return try body()
        } catch {
            throw context.error(error.type, error.message, retryAfter: error.retryAfter, retryable: error.retryable)
        }
    }

    private enum Format { case stream, json, other }

    /// The answer's format from its content type, else from its first byte (`{` for JSON,
    /// a field name or `:` for an event stream): some compatible servers send no or a wrong type.
    private static func format(contentType: String, firstBytes: ByteBuffer) -> Format {
        if contentType.contains("text/event-stream") { return .stream }
        if contentType.contains("json") { return .json }
        guard !contentType.contains("html") else { return .other }
        let first = firstBytes.readableBytesView.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        switch first {
        case UInt8(ascii: "{"): return .json
        case UInt8(ascii: "d"), UInt8(ascii: "e"), UInt8(ascii: ":"): return .stream
        default: return .other
        }
    }
}
