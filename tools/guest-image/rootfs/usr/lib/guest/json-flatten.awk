# Flatten JSON into "path=value" lines, one per scalar, for shell scripts
# in a guest that has busybox awk but no JSON tool.
#   {"links":[{"id":"tap1","mtu":1450}],"hostname":"vm1"}
# becomes
#   links.0.id=tap1
#   links.0.mtu=1450
#   hostname=vm1
# Strings are unescaped except \n, \t and \uXXXX, which stay as written so
# that every value fits on one line. null/true/false/numbers are printed as
# they appear. Malformed input gives best-effort output, never a hang.
# With -v sh=PREFIX the lines are shell assignments instead, for eval:
#   PREFIXlinks_0_id='tap1'   (characters other than [A-Za-z0-9_] -> _)
{ s = s $0 "\n" }

function emit(p, v,   q, j) {
    if (sh == "") {
        print p "=" v
        return
    }
    gsub(/[^A-Za-z0-9_]/, "_", p)
    q = ""
    while ((j = index(v, "'")) > 0) {
        q = q substr(v, 1, j - 1) "'\"'\"'"
        v = substr(v, j + 1)
    }
    print sh p "='" q v "'"
}

function push(t) {
    begin_value()
    d++
    type[d] = t
    cnt[d] = 0
    expectkey[d] = (t == "o")
    key[d] = ""
}

# A value starts at depth d: in an array it takes the next index.
function begin_value() {
    if (d > 0 && type[d] == "a") {
        key[d] = cnt[d]
        cnt[d]++
    }
}

function path(   p, j) {
    p = ""
    for (j = 1; j <= d; j++)
        p = (j == 1) ? key[j] : p "." key[j]
    return p
}

# Decode \" \\ and \/; keep every other escape (\n, \t, \uXXXX) as written.
function unescape(v,   out, j, ch, nx) {
    if (index(v, "\\") == 0)
        return v
    out = ""
    for (j = 1; j <= length(v); j++) {
        ch = substr(v, j, 1)
        if (ch == "\\") {
            nx = substr(v, j + 1, 1)
            j++
            if (nx == "\"" || nx == "/" || nx == "\\")
                out = out nx
            else
                out = out ch nx
        } else {
            out = out ch
        }
    }
    return out
}

END {
    n = length(s)
    i = 1
    d = 0
    while (i <= n) {
        c = substr(s, i, 1)
        if (c == " " || c == "\t" || c == "\n" || c == "\r") { i++; continue }
        if (c == "{") { push("o"); i++; continue }
        if (c == "[") { push("a"); i++; continue }
        if (c == "}" || c == "]") { if (d > 0) d--; i++; continue }
        if (c == ",") { if (type[d] == "o") expectkey[d] = 1; i++; continue }
        if (c == ":") { expectkey[d] = 0; i++; continue }
        if (c == "\"") {
            rest = substr(s, i)
            if (!match(rest, /^"([^"\\]|\\.)*"/)) break
            v = unescape(substr(rest, 2, RLENGTH - 2))
            i += RLENGTH
            if (type[d] == "o" && expectkey[d]) { key[d] = v; continue }
            begin_value()
            emit(path(), v)
            continue
        }
        rest = substr(s, i)
        if (!match(rest, /^[-+.0-9a-zA-Z]+/)) { i++; continue }
        begin_value()
        emit(path(), substr(rest, 1, RLENGTH))
        i += RLENGTH
    }
}
