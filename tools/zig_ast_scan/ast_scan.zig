//! Prototype: what zigimport/build/signature_scan.py recovers (pub fns with
//! parameter names, doc comments, pub containers, `py.class(...)` consts),
//! read with Zig's own parser (std.zig.Ast) instead of a Python tokenizer.
//!
//!     zig build-exe -O ReleaseSafe ast_scan.zig && ./ast_scan a.zig b.zig ...
//!
//! Prints one JSON object per file and line, `{"parse_errors": N, "info": I}`
//! with I shaped like dataclasses.asdict(signature_scan.scan(text));
//! bench_ast_scan.py compares
//! the two on real modules.  Not used by zigimport yet.
const std = @import("std");
const Ast = std.zig.Ast;
const Writer = std.Io.Writer;

/// Deeper nesting than this is not real code (the Python scanner's limit too).
const max_depth = 100;

const Scanner = struct {
    gpa: std.mem.Allocator,
    tree: *const Ast,
    /// Byte offset of each line's first character: token -> 1-based line by bisection.
    line_starts: []const u32,
    /// Container declaration node by its keyword token (`struct`, `union`, `enum`, `opaque`).
    containers: std.AutoHashMapUnmanaged(Ast.TokenIndex, Ast.Node.Index),

    fn init(gpa: std.mem.Allocator, tree: *const Ast) !Scanner {
        var starts: std.ArrayList(u32) = .empty;
        try starts.append(gpa, 0);
        for (tree.source, 0..) |ch, i| {
            if (ch == '\n') try starts.append(gpa, @intCast(i + 1));
        }
        var containers: std.AutoHashMapUnmanaged(Ast.TokenIndex, Ast.Node.Index) = .empty;
        var buf: [2]Ast.Node.Index = undefined;
        for (0..tree.nodes.len) |i| {
            const node: Ast.Node.Index = @enumFromInt(i);
            if (i == 0) continue; // the root
            if (tree.fullContainerDecl(&buf, node)) |decl| {
                try containers.put(gpa, decl.ast.main_token, node);
            }
        }
        return .{ .gpa = gpa, .tree = tree, .line_starts = try starts.toOwnedSlice(gpa), .containers = containers };
    }

    fn line(s: *const Scanner, tok: Ast.TokenIndex) u32 {
        const offset = s.tree.tokenStart(tok);
        var lo: usize = 0;
        var hi: usize = s.line_starts.len;
        while (hi - lo > 1) {
            const mid = (lo + hi) / 2;
            if (s.line_starts[mid] <= offset) lo = mid else hi = mid;
        }
        return @intCast(lo + 1);
    }

    /// An identifier's name: `@"..."` unescaped, as the compiler reads it.
    fn name(s: *const Scanner, tok: Ast.TokenIndex) ![]const u8 {
        const text = s.tree.tokenSlice(tok);
        if (text.len > 0 and text[0] == '@') {
            return std.zig.string_literal.parseAlloc(s.gpa, text[1..]) catch text;
        }
        return text;
    }

    /// A doc line's text: the `///` or `//!` marker and ONE following space dropped.
    fn docText(s: *const Scanner, tok: Ast.TokenIndex) []const u8 {
        var text = s.tree.tokenSlice(tok)[3..];
        if (text.len > 0 and text[0] == ' ') text = text[1..];
        return std.mem.trimEnd(u8, text, "\r");
    }

    /// The `///` block ending on the line right above `first`, or null.
    fn docAbove(s: *const Scanner, first: Ast.TokenIndex) !?[]const u8 {
        var start = first;
        var want = s.line(first);
        while (start > 0 and s.tree.tokenTag(start - 1) == .doc_comment and s.line(start - 1) + 1 == want) {
            start -= 1;
            want -= 1;
        }
        if (start == first) return null;
        return try s.joinDocs(start, first);
    }

    fn joinDocs(s: *const Scanner, start: Ast.TokenIndex, end: Ast.TokenIndex) ![]const u8 {
        var out: std.ArrayList(u8) = .empty;
        var t = start;
        while (t < end) : (t += 1) {
            if (t > start) try out.append(s.gpa, '\n');
            try out.appendSlice(s.gpa, s.docText(t));
        }
        return out.toOwnedSlice(s.gpa);
    }

    /// `//!` lines opening a body whose first token is `body`.
    fn containerDoc(s: *const Scanner, body: Ast.TokenIndex) !?[]const u8 {
        var end = body;
        while (s.tree.tokenTag(end) == .container_doc_comment) end += 1;
        if (end == body) return null;
        return try s.joinDocs(body, end);
    }

    /// First token inside the braces of the container whose keyword is `main`.
    fn bodyStart(s: *const Scanner, keyword: Ast.TokenIndex) Ast.TokenIndex {
        var t = keyword + 1;
        if (s.tree.tokenTag(t) == .l_paren) { // union(enum), enum(u8), packed struct(u32)
            var depth: usize = 0;
            while (true) : (t += 1) switch (s.tree.tokenTag(t)) {
                .l_paren => depth += 1,
                .r_paren => {
                    depth -= 1;
                    if (depth == 0) break;
                },
                .eof => return t,
                else => {},
            };
            t += 1;
        }
        std.debug.assert(s.tree.tokenTag(t) == .l_brace);
        return t + 1;
    }

    fn container(s: *const Scanner, w: *Writer, members: []const Ast.Node.Index, body: Ast.TokenIndex, depth: u32) anyerror!void {
        const tree = s.tree;
        try w.writeAll("{\"doc\":");
        try writeOptional(w, try s.containerDoc(body));

        // Functions, then decl docs, containers and classes: four passes keep the JSON flat and simple.
        try w.writeAll(",\"functions\":{");
        var first = true;
        for (members) |m| {
            var buf: [1]Ast.Node.Index = undefined;
            const proto = tree.fullFnProto(&buf, m) orelse continue;
            if (proto.visib_token == null) continue;
            const name_tok = proto.name_token orelse continue;
            if (!first) try w.writeByte(',');
            first = false;
            try writeString(w, try s.name(name_tok));
            try w.writeAll(":{\"name\":");
            try writeString(w, try s.name(name_tok));
            try w.writeAll(",\"doc\":");
            try writeOptional(w, try s.docAbove(proto.firstToken()));
            try w.writeAll(",\"params\":[");
            var it = proto.iterate(tree);
            var first_param = true;
            while (it.next()) |param| {
                const p = param.name_token orelse continue;
                if (!first_param) try w.writeByte(',');
                first_param = false;
                try writeString(w, try s.name(p));
            }
            try w.print("],\"line\":{d}}}", .{s.line(proto.ast.fn_token)});
        }

        try w.writeAll("},\"containers\":{");
        first = true;
        for (members) |m| {
            const v = tree.fullVarDecl(m) orelse continue;
            if (v.visib_token == null or tree.tokenTag(v.ast.mut_token) != .keyword_const) continue;
            const init_node = v.ast.init_node.unwrap() orelse continue;
            const sub = s.firstContainerIn(init_node) orelse continue;
            if (depth >= max_depth) continue;
            if (!first) try w.writeByte(',');
            first = false;
            try writeString(w, try s.name(v.ast.mut_token + 1));
            try w.writeByte(':');
            var buf: [2]Ast.Node.Index = undefined;
            const decl = tree.fullContainerDecl(&buf, sub).?;
            try s.container(w, decl.ast.members, s.bodyStart(decl.ast.main_token), depth + 1);
        }

        try w.writeAll("},\"decl_docs\":{");
        first = true;
        for (members) |m| {
            const v = tree.fullVarDecl(m) orelse continue;
            if (v.visib_token == null) continue;
            const doc = try s.docAbove(v.firstToken()) orelse continue;
            if (!first) try w.writeByte(',');
            first = false;
            try writeString(w, try s.name(v.ast.mut_token + 1));
            try w.writeByte(':');
            try writeString(w, doc);
        }

        try w.writeAll("},\"classes\":[");
        first = true;
        for (members) |m| {
            const v = tree.fullVarDecl(m) orelse continue;
            if (v.visib_token == null or tree.tokenTag(v.ast.mut_token) != .keyword_const) continue;
            const init_node = v.ast.init_node.unwrap() orelse continue;
            if (!s.callsClass(tree.firstToken(init_node))) continue;
            if (!first) try w.writeByte(',');
            first = false;
            try writeString(w, try s.name(v.ast.mut_token + 1));
        }
        try w.writeAll("]}");
    }

    /// The first container declaration, in source order, anywhere in the initializer `node`.
    fn firstContainerIn(s: *const Scanner, node: Ast.Node.Index) ?Ast.Node.Index {
        var t = s.tree.firstToken(node);
        const last = s.tree.lastToken(node);
        while (t <= last) : (t += 1) switch (s.tree.tokenTag(t)) {
            .keyword_struct, .keyword_union, .keyword_enum, .keyword_opaque => {
                if (s.containers.get(t)) |c| return c;
            },
            else => {},
        };
        return null;
    }

    /// Whether the tokens from `t` read `[a.b.]class(`: zig_core's py.class marks a Python class.
    fn callsClass(s: *const Scanner, start: Ast.TokenIndex) bool {
        var t = start;
        var last: ?[]const u8 = null;
        while (s.tree.tokenTag(t) == .identifier) {
            last = s.tree.tokenSlice(t);
            if (s.tree.tokenTag(t + 1) != .period) break;
            t += 2;
        }
        const l = last orelse return false;
        return std.mem.eql(u8, l, "class") and s.tree.tokenTag(t + 1) == .l_paren;
    }
};

fn writeString(w: *Writer, text: []const u8) !void {
    try std.json.Stringify.value(text, .{}, w);
}

fn writeOptional(w: *Writer, text: ?[]const u8) !void {
    if (text) |t| try writeString(w, t) else try w.writeAll("null");
}

pub fn main(init: std.process.Init) !void {
    const io = init.io;
    const arena = init.arena.allocator();
    const args = try init.minimal.args.toSlice(arena);
    var out_buf: [64 * 1024]u8 = undefined;
    var out = std.Io.File.stdout().writer(io, &out_buf);
    const w = &out.interface;
    for (args[1..]) |path| {
        var file_arena: std.heap.ArenaAllocator = .init(init.gpa);
        defer file_arena.deinit();
        const gpa = file_arena.allocator();
        const source = try std.Io.Dir.cwd().readFileAllocOptions(io, path, gpa, .unlimited, .of(u8), 0);
        var tree = try Ast.parse(gpa, source, .{});
        const s = try Scanner.init(gpa, &tree);
        // Broken source: the parser recovers, but what it recovers is its own guess.
        try w.print("{{\"parse_errors\":{d},\"info\":", .{tree.errors.len});
        try s.container(w, tree.rootDecls(), 0, 0);
        try w.writeAll("}\n");
    }
    try w.flush();
}
