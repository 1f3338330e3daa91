import PostgresNIO

/// Builds a statement whose text depends on what is set (a filter's conditions, a condition
/// shared by several SELECTs): every value is still a bound parameter.
struct SQLBuilder {
    private(set) var binds = PostgresBindings()

    /// Binds `value` and returns its placeholder (`$3`).
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    func query(_ sql: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}
