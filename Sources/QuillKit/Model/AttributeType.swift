/// The types of case and source attributes, as REFI-QDA names them.
public enum AttributeType: String, Sendable, CaseIterable, Equatable {
    /// Free text.
    case text
    /// true or false.
    case boolean
    /// A whole number.
    case integer
    /// A decimal number.
    case float
    /// A calendar date, `YYYY-MM-DD`.
    case date
    /// A date and time, ISO 8601.
    case datetime
}
