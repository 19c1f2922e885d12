//! The spec a generated schema module hands to `schema.module` (SCHEMA_SPEC.md §1): every schema
//! node by index (references are indices, so recursion is a cycle of indices), the classes the
//! object nodes become, and the regex sources.  zigimport/schema renders exactly these names.
pub const Spec = struct {
    name: [:0]const u8,
    roots: []const Root, // >= 1; roots[0] is the default root
    nodes: []const Node,
    classes: []const Class,
    patterns: []const [:0]const u8 = &.{},
    doc: ?[:0]const u8 = null,
};

pub const Root = struct { name: [:0]const u8, node: u16 };

/// The JSON types a node accepts (`type` absent: all true). `none` is JSON null (Python None).
pub const Types = struct {
    none: bool = true,
    boolean: bool = true,
    integer: bool = true,
    number: bool = true,
    string: bool = true,
    array: bool = true,
    object: bool = true,
};

pub const Format = enum { none, date_time, date, time, email, uuid, ipv4, ipv6, hostname };

pub const Node = struct {
    pointer: [:0]const u8, // "#/properties/age": where the schema is, for messages
    never: bool = false, // the `false` schema (and `not: true`): nothing is valid
    types: Types = .{},
    /// `enum`/`const` (a one-element enum): canonical JSON texts, compared with JSON equality.
    enum_values: ?[]const [:0]const u8 = null,
    is_const: bool = false, // enum_values came from `const`: reported as rule `const`, "1 was expected"
    // strings (lengths in code points, as JSON Schema counts)
    min_length: ?u32 = null,
    max_length: ?u32 = null,
    pattern: ?u16 = null, // index into Spec.patterns; matched with re.search (unanchored)
    format: Format = .none, // asserted
    // numbers (integer and number)
    minimum: ?f64 = null,
    maximum: ?f64 = null,
    exclusive_minimum: ?f64 = null,
    exclusive_maximum: ?f64 = null,
    multiple_of: ?f64 = null,
    // an integral bound a double cannot hold (a uint64 maximum): its exact decimal text; the f64 above is
    // then only the nearest double, and comparisons use the exact integer
    minimum_exact: ?[:0]const u8 = null,
    maximum_exact: ?[:0]const u8 = null,
    exclusive_minimum_exact: ?[:0]const u8 = null,
    exclusive_maximum_exact: ?[:0]const u8 = null,
    // arrays
    prefix_items: []const u16 = &.{},
    items: ?u16 = null, // items after prefix_items (null: any)
    min_items: ?u32 = null,
    max_items: ?u32 = null,
    unique_items: bool = false,
    // objects: an object becomes an instance of classes[class]; with class == null it stays a dict
    class: ?u16 = null,
    values: ?u16 = null, // dict objects only: the schema every property value must match
    min_properties: ?u32 = null,
    max_properties: ?u32 = null,
    // composition (node indices): "own keywords AND all_of AND any_of AND one_of AND not"
    all_of: []const u16 = &.{},
    any_of: []const u16 = &.{},
    one_of: []const u16 = &.{},
    not: ?u16 = null,
};

pub const Class = struct {
    name: [:0]const u8, // Python class name (an identifier)
    qualname: [:0]const u8,
    pointer: [:0]const u8,
    doc: ?[:0]const u8 = null, // the schema's description
    fields: []const Field, // in `properties` order
    additional: Additional = .keep,
    additional_node: ?u16 = null,
    min_properties: ?u32 = null,
    max_properties: ?u32 = null,
};

pub const Additional = enum { keep, forbid };

pub const Field = struct {
    attr: [:0]const u8, // the Python attribute and keyword name
    key: [:0]const u8, // the JSON property name
    node: u16,
    required: bool,
    default: ?[:0]const u8 = null, // the schema's `default` as canonical JSON text
    type_name: [:0]const u8, // for messages/repr of the type, e.g. "int | None", "list[Item]"
    doc: ?[:0]const u8 = null, // the property's description (member docstring)
};
