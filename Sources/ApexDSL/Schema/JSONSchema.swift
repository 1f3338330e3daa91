import OrderedCollections

/// A schema of the JSON Schema subset that Apex supports (docs/language.md,
/// "The JSON Schema subset"), with where it was written.
///
/// Used for a workflow's `input`, an llm step's `schema` and a `wait` step's `schema`. It is a
/// final class so that recursive schemas are cheap to share; it never changes once built.
///
/// `types` nil means any type; an empty `types` list is the schema `false`, which no value
/// matches (see ``acceptsNothing``).
public final class JSONSchema: Sendable {
    /// `type:`, one or a list; nil when any type is allowed.
    public let types: [JSONType]?
    /// The declared properties of objects, in the order written.
    public let properties: OrderedDictionary<String, JSONSchema>
    /// Property names that objects must have.
    public let required: [String]
    /// What objects may hold besides the declared properties.
    public let additionalProperties: AdditionalProperties
    /// The schema every element of an array must match.
    public let items: JSONSchema?
    /// `enum`: the allowed values (compared as JSON, so `1` equals `1.0`).
    public let enumValues: [JSONValue]?
    /// `const`: the one allowed value.
    public let constValue: JSONValue?
    /// `default`: the value filled in for a missing property (see ``applyingDefaults(to:)``).
    public let defaultValue: JSONValue?
    /// Bounds on numbers; the exclusive ones are the bound itself, as in JSON Schema 2020-12.
    public let minimum, maximum, exclusiveMinimum, exclusiveMaximum: Double?
    /// Bounds on string lengths (in Unicode scalars, i.e. code points) and on array sizes.
    public let minLength, maxLength, minItems, maxItems: Int?
    /// An ECMA-262 regular expression that strings must contain a match of (unanchored).
    public var pattern: String? { compiledPattern?.source }
    /// Alternatives: at least one (`anyOf`), exactly one (`oneOf`) or every one (`allOf`)
    /// must match.
    public let anyOf, oneOf, allOf: [JSONSchema]
    /// Informational: not checked, but kept for documentation and for LLM providers.
    public let title, description, format: String?
    /// Where the schema is in the workflow file (``SourceRange/fileStart`` for schemas built in code).
    public let range: SourceRange

    let compiledPattern: SchemaPattern?
    /// The property names declared here or in a branch (`allOf`, `anyOf`, `oneOf`, at any
    /// depth), and what ``lookupProperty(_:)`` says about every other name: kept so that an
    /// undeclared name is looked up at once, however many branches the schema has.
    let declaredNames: Set<String>
    let undeclaredLookup: PropertyLookup

    /// Builds a schema in code. A `pattern` that is not a valid regular expression matches
    /// no string; ``parse(_:diagnostics:)`` reports such patterns instead.
    public init(
        types: [JSONType]? = nil,
        properties: OrderedDictionary<String, JSONSchema> = [:],
        required: [String] = [],
        additionalProperties: AdditionalProperties = .allowed,
        items: JSONSchema? = nil,
        enumValues: [JSONValue]? = nil,
        constValue: JSONValue? = nil,
        defaultValue: JSONValue? = nil,
        minimum: Double? = nil, maximum: Double? = nil,
        exclusiveMinimum: Double? = nil, exclusiveMaximum: Double? = nil,
        minLength: Int? = nil, maxLength: Int? = nil,
        minItems: Int? = nil, maxItems: Int? = nil,
        pattern: String? = nil,
        anyOf: [JSONSchema] = [], oneOf: [JSONSchema] = [], allOf: [JSONSchema] = [],
        title: String? = nil, description: String? = nil, format: String? = nil,
        range: SourceRange = .fileStart
    ) {
        self.types = types
        self.properties = properties
        self.required = required
        self.additionalProperties = additionalProperties
        self.items = items
        self.enumValues = enumValues
        self.constValue = constValue
        self.defaultValue = defaultValue
        self.minimum = minimum
        self.maximum = maximum
        self.exclusiveMinimum = exclusiveMinimum
        self.exclusiveMaximum = exclusiveMaximum
        self.minLength = minLength
        self.maxLength = maxLength
        self.minItems = minItems
        self.maxItems = maxItems
        self.compiledPattern = pattern.map(SchemaPattern.init)
        self.anyOf = anyOf
        self.oneOf = oneOf
        self.allOf = allOf
        self.title = title
        self.description = description
        self.format = format
        self.range = range
        var declaredNames = Set(properties.keys)
        for branch in allOf + anyOf + oneOf { declaredNames.formUnion(branch.declaredNames) }
        self.declaredNames = declaredNames
        let own = Self.ownLookupOfUndeclared(additionalProperties, properties: properties, declaresProperties: !declaredNames.isEmpty)
        undeclaredLookup = Self.lookup(types: types, own: own, allOf: allOf, anyOf: anyOf, oneOf: oneOf) { $0.undeclaredLookup }
    }

    /// A convenience for the common case: a schema of one type.
    public convenience init(_ type: JSONType, range: SourceRange = .fileStart) {
        self.init(types: [type], range: range)
    }

    /// The schema `true` (or `{}`): every value matches.
    public static let anything = JSONSchema()
    /// The schema `false`: no value matches.
    public static let nothing = JSONSchema(types: [])

    /// Whether this is the schema `false`, which no value matches.
    public var acceptsNothing: Bool { types?.isEmpty == true }

    /// Whether the schema allows a value of `type` at its top level (`type:` only; the other
    /// keywords may still narrow it).
    public func allowsType(_ type: JSONType) -> Bool {
        guard let types else { return true }
        return types.contains(type) || (type == .integer && types.contains(.number))
    }

    /// The allowed types as messages name them: "a string or null"; "anything" for no `type`.
    public var typeDescription: String {
        types.map(JSONType.phrase) ?? "anything"
    }
}
