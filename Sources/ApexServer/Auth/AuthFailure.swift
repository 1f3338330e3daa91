/// A request without a usable bearer token: answered 401 with ``wwwAuthenticate`` as the
/// `WWW-Authenticate` header (RFC 6750, section 3).
public struct AuthFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problem's detail: what is wrong with the token (never the token itself).
    public var description: String
    /// `Bearer` for a missing token; `Bearer error="invalid_token", error_description="…"` for
    /// an invalid one.
    public var wwwAuthenticate: String

    /// No `Authorization: Bearer` header: RFC 6750 asks for no error code then.
    public static let missing = AuthFailure(description: "a bearer token is required (Authorization: Bearer <token>)",
                                            wwwAuthenticate: "Bearer")

    /// A token that was given but is not accepted.
    public static func invalid(_ description: String) -> AuthFailure {
        AuthFailure(description: description,
                    wwwAuthenticate: #"Bearer error="invalid_token", error_description="\#(quotable(description))""#)
    }

    /// `text` restricted to what RFC 6750 allows in `error_description` (printable ASCII without
    /// `"` and `\`), so a header never breaks.
    static func quotable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (0x20...0x7E).contains(scalar.value) && scalar != "\"" && scalar != "\\" ? scalar : "'"
        }))
    }
}
