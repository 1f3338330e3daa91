import Foundation

/// Builds the URL of an `http` step: the `url` field, checked, with the `query` mapping
/// appended.
enum URLBuilder {
    /// Why a URL cannot be requested; the message names the URL (the caller scrubs secrets).
    struct Invalid: Error {
        var message: String
    }

    /// The absolute http(s) URL to request.
    ///
    /// Characters that may not appear in a URL at all (spaces, quotes, non-ASCII, a `%` that
    /// starts no escape) are percent-encoded first, as browsers and most HTTP libraries do, so
    /// that `?q=${{ input.topic }}` works for any topic; characters with a meaning in URLs
    /// (`&`, `=`, `#`, `/`) are left alone, which is why values belong in `query`.
    /// Query parameters are added after the URL's own query; the fragment is dropped (it is
    /// never sent).
    static func build(url text: String, query: [(name: String, value: String)]) throws(Invalid) -> String {
        let requoted = requote(text)
        guard let components = URLComponents(string: requoted) else {
            throw Invalid(message: "\"\(text)\" is not a valid URL")
        }
        guard let scheme = components.scheme?.lowercased() else {
            throw Invalid(message: "\"\(text)\" is not an absolute URL; it must start with http:// or https://")
        }
        guard scheme == "http" || scheme == "https" else {
            throw Invalid(message: "\"\(text)\" has the scheme \"\(scheme)\"; only http and https URLs can be requested")
        }
        guard let host = components.percentEncodedHost, !host.isEmpty else {
            throw Invalid(message: "\"\(text)\" has no host")
        }
        var result = components
        result.fragment = nil
        let added = query.map { "\(percentEncoded($0.name))=\(percentEncoded($0.value))" }
        if !added.isEmpty {
            let existing = components.percentEncodedQuery.flatMap { $0.isEmpty ? nil : $0 }
            result.percentEncodedQuery = ([existing].compactMap { $0 } + added).joined(separator: "&")
        }
        guard let built = result.string else {
            throw Invalid(message: "\"\(text)\" is not a valid URL")
        }
        return built
    }

    /// Percent-encodes every byte of `text` but the unreserved characters of RFC 3986
    /// (`A-Z a-z 0-9 - . _ ~`): the encoding of a query parameter's name or value.
    static func percentEncoded(_ text: String) -> String {
        encode(text) { isUnreserved($0) }
    }

    /// Percent-encodes the bytes that may not appear in a URL, and a `%` that is not followed by
    /// two hex digits.
    static func requote(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out = ""
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "%") {
                let escape = index + 2 < bytes.count && isHexDigit(bytes[index + 1]) && isHexDigit(bytes[index + 2])
                out += escape ? "%" : "%25"
            } else if isUnreserved(byte) || reserved.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += escaped(byte)
            }
        }
        return out
    }

    /// The reserved characters of RFC 3986: delimiters with a meaning in URLs.
    private static let reserved = Set(":/?#[]@!$&'()*+,;=".utf8)

    private static func encode(_ text: String, keeping keep: (UInt8) -> Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            if keep(byte) { out.unicodeScalars.append(Unicode.Scalar(byte)) } else { out += escaped(byte) }
        }
        return out
    }

    private static func escaped(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "%\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])"
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }
}
