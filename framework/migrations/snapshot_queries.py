"""The catalog queries of :class:`~pgtdd.migrations.snapshot.SchemaSnapshotter`, one per section.

Each query returns ``(key, properties as json)`` rows; ``%(skip)s`` is the list of excluded table
names (the migration tracking table). Objects an extension owns are left out, and so are the
system schemas. Ownership and privileges are part of every object that has them: privileges as
the sorted ``aclitem`` texts, with PostgreSQL's default privileges standing in for "never
granted" (so a GRANT undone by a REVOKE compares equal to no GRANT at all). A column's options
leave out ``pg_attver``, a stamp some PostgreSQL builds (the 15.20 of ``pgtdd/postgres:15``)
give every new column, a new value each time: a column dropped and created again would differ.
"""

from __future__ import annotations

import functools

from pglast import ast

from pgtdd.migrations.sql_ast import parse

USER_NS = (
    "n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp\\_%%'"
)


def _not_ext(catalog: str, oid: str) -> str:
    return (
        "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
        f"'{catalog}'::regclass AND d.objid = {oid} AND d.deptype = 'e')"
    )


def _acl(acl: str, kind: str, owner: str) -> str:
    """Sorted aclitem texts; ``NULL`` for PostgreSQL's default privileges, whether never
    granted (``NULL``) or granted and revoked back to them."""
    return (
        f"CASE WHEN {acl} IS NULL OR {acl} = acldefault('{kind}', {owner}) THEN NULL ELSE "
        f"(SELECT json_agg(a::text ORDER BY a::text) FROM unnest({acl}) a) END"
    )


def _comment(oid: str, catalog: str, subid: str = "0") -> str:
    """The object's comment (what ``obj_description``/``col_description`` return, read directly:
    the functions cost a catalog lookup by name per call, a third of a snapshot's time)."""
    return (
        f"(SELECT ds.description FROM pg_description ds WHERE ds.objoid = {oid} "
        f"AND ds.classoid = '{catalog}'::regclass AND ds.objsubid = {subid})"
    )


# Catalogs of the rarer kinds of object, snapshotted by name only (user-made ones: oid >= 16384).
OTHER_CATALOGS = (
    "pg_collation", "pg_operator", "pg_opclass", "pg_opfamily", "pg_cast", "pg_conversion",
    "pg_ts_config", "pg_ts_dict", "pg_ts_parser", "pg_ts_template", "pg_foreign_data_wrapper",
    "pg_foreign_server", "pg_language", "pg_publication", "pg_transform", "pg_am",
)  # fmt: skip
_OTHER_ROWS = " UNION ALL ".join(
    f"SELECT '{catalog}'::regclass AS classid, oid FROM {catalog} WHERE oid >= 16384"
    for catalog in OTHER_CATALOGS
)

QUERIES: dict[str, str] = {
    "schemas": f"""
        SELECT n.nspname, json_build_object(
            'owner', pg_get_userbyid(n.nspowner),
            'privileges', {_acl("n.nspacl", "n", "n.nspowner")},
            'comment', {_comment("n.oid", "pg_namespace")})
        FROM pg_namespace n
        WHERE {USER_NS} AND {_not_ext("pg_namespace", "n.oid")}""",
    "tables": f"""
        SELECT n.nspname || '.' || c.relname, json_build_object(
            'kind', c.relkind, 'persistence', c.relpersistence,
            'partition_key', pg_get_partkeydef(c.oid),
            'partition_of', (SELECT pn.nspname || '.' || pc.relname || ' '
                    || pg_get_expr(c.relpartbound, c.oid)
                FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent
                JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                WHERE i.inhrelid = c.oid AND c.relispartition),
            'inherits', (SELECT json_agg(pn.nspname || '.' || pc.relname ORDER BY i.inhseqno)
                FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent
                JOIN pg_namespace pn ON pn.oid = pc.relnamespace
                WHERE i.inhrelid = c.oid AND NOT c.relispartition),
            'options', c.reloptions, 'row_security', c.relrowsecurity,
            'force_row_security', c.relforcerowsecurity, 'replica_identity', c.relreplident,
            'owner', pg_get_userbyid(c.relowner),
            'privileges', {_acl("c.relacl", "r", "c.relowner")},
            'comment', {_comment("c.oid", "pg_class")})
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'f') AND {USER_NS} AND {_not_ext("pg_class", "c.oid")}
          AND c.relname <> ALL(%(skip)s)""",
    "columns": f"""
        SELECT n.nspname || '.' || c.relname || '.' || a.attname, json_build_object(
            'position', row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum),
            'type', format_type(a.atttypid, a.atttypmod),
            'nullable', NOT a.attnotnull,
            'default', pg_get_expr(ad.adbin, ad.adrelid),
            'identity', nullif(a.attidentity, ''),
            'generated', nullif(a.attgenerated, ''),
            'collation', CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,
            'storage', CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage END,
            'compression', nullif(a.attcompression, ''),
            'statistics', CASE WHEN a.attstattarget >= 0 THEN a.attstattarget END,
            'options', (SELECT json_agg(o ORDER BY o) FROM unnest(a.attoptions) o
                        WHERE o NOT LIKE 'pg\\_attver=%%'),
            'privileges', (SELECT json_agg(x::text ORDER BY x::text) FROM unnest(a.attacl) x),
            'comment', {_comment("c.oid", "pg_class", "a.attnum")})
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation
        WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f')
          AND {USER_NS} AND {_not_ext("pg_class", "c.oid")} AND c.relname <> ALL(%(skip)s)""",
    "constraints": f"""
        SELECT n.nspname || '.' || c.relname || '.' || con.conname, json_build_object(
            'table', n.nspname || '.' || c.relname, 'type', con.contype,
            'definition', pg_get_constraintdef(con.oid), 'validated', con.convalidated,
            'deferrable', con.condeferrable, 'deferred', con.condeferred,
            'comment', {_comment("con.oid", "pg_constraint")})
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE {USER_NS} AND {_not_ext("pg_class", "c.oid")} AND c.relname <> ALL(%(skip)s)
          -- PostgreSQL 18 keeps NOT NULL as constraints named after the column they were made
          -- for (a renamed column keeps the old name): the columns' nullable says it for every
          -- major; one not yet validated is kept.
          AND NOT (con.contype = 'n' AND con.convalidated)""",
    "foreign_keys": f"""
        SELECT n.nspname || '.' || c.relname || '.' || con.conname, json_build_object(
            'table', n.nspname || '.' || c.relname,
            'columns', (SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(con.conkey)
                        WITH ORDINALITY k(num, i) JOIN pg_attribute a
                        ON a.attrelid = con.conrelid AND a.attnum = k.num),
            'references', rn.nspname || '.' || rc.relname,
            'referenced_columns', (SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(con.confkey)
                        WITH ORDINALITY k(num, i) JOIN pg_attribute a
                        ON a.attrelid = con.confrelid AND a.attnum = k.num),
            'on_update', con.confupdtype, 'on_delete', con.confdeltype,
            'match', con.confmatchtype, 'validated', con.convalidated)
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
        WHERE con.contype = 'f' AND {USER_NS}""",
    "indexes": f"""
        SELECT n.nspname || '.' || ic.relname, json_build_object(
            'table', n.nspname || '.' || tc.relname, 'definition', pg_get_indexdef(i.indexrelid),
            'unique', i.indisunique, 'primary', i.indisprimary, 'valid', i.indisvalid,
            'clustered', i.indisclustered, 'replica_identity', i.indisreplident,
            'comment', {_comment("ic.oid", "pg_class")})
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = ic.relnamespace
        WHERE {USER_NS} AND {_not_ext("pg_class", "tc.oid")} AND tc.relname <> ALL(%(skip)s)""",
    "views": f"""
        SELECT n.nspname || '.' || c.relname, json_build_object(
            'materialized', c.relkind = 'm', 'definition', pg_get_viewdef(c.oid, true),
            'options', c.reloptions, 'owner', pg_get_userbyid(c.relowner),
            'privileges', {_acl("c.relacl", "r", "c.relowner")},
            'comment', {_comment("c.oid", "pg_class")})
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('v', 'm') AND {USER_NS} AND {_not_ext("pg_class", "c.oid")}""",
    "functions": f"""
        SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid)
               || ')', json_build_object(
            'kind', p.prokind, 'returns', pg_get_function_result(p.oid), 'language', l.lanname,
            'volatility', p.provolatile, 'security_definer', p.prosecdef,
            'definition', CASE WHEN p.prokind IN ('f', 'p', 'w')
                THEN pg_get_functiondef(p.oid) END,
            'aggregate', (SELECT json_build_object(
                    'transition', ag.aggtransfn::regprocedure::text,
                    'final', nullif(ag.aggfinalfn::oid, 0)::regprocedure::text,
                    'combine', nullif(ag.aggcombinefn::oid, 0)::regprocedure::text,
                    'state_type', format_type(ag.aggtranstype, NULL),
                    'initial', ag.agginitval, 'sort_operator', nullif(ag.aggsortop::oid, 0))
                FROM pg_aggregate ag WHERE ag.aggfnoid = p.oid),
            'owner', pg_get_userbyid(p.proowner),
            'privileges', {_acl("p.proacl", "f", "p.proowner")},
            'comment', {_comment("p.oid", "pg_proc")})
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        JOIN pg_language l ON l.oid = p.prolang
        WHERE {USER_NS} AND {_not_ext("pg_proc", "p.oid")}""",
    "sequences": f"""
        SELECT n.nspname || '.' || c.relname, json_build_object(
            'type', format_type(s.seqtypid, NULL), 'start', s.seqstart,
            'increment', s.seqincrement, 'min', s.seqmin, 'max', s.seqmax, 'cache', s.seqcache,
            'cycle', s.seqcycle,
            'owned_by', (SELECT dn.nspname || '.' || dc.relname || '.' || da.attname
                FROM pg_depend d JOIN pg_class dc ON dc.oid = d.refobjid
                JOIN pg_namespace dn ON dn.oid = dc.relnamespace
                JOIN pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid
                WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1),
            'owner', pg_get_userbyid(c.relowner),
            'privileges', {_acl("c.relacl", "s", "c.relowner")},
            'comment', {_comment("c.oid", "pg_class")})
        FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE {USER_NS} AND {_not_ext("pg_class", "c.oid")}
          AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_class dc ON dc.oid = d.refobjid
                WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
                  AND d.refclassid = 'pg_class'::regclass AND dc.relname = ANY(%(skip)s))""",
    "extensions": f"""
        SELECT e.extname, json_build_object(
            'version', e.extversion, 'schema', n.nspname,
            'comment', {_comment("e.oid", "pg_extension")})
        FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace""",
    "triggers": f"""
        SELECT n.nspname || '.' || c.relname || '.' || t.tgname, json_build_object(
            'definition', pg_get_triggerdef(t.oid), 'enabled', t.tgenabled,
            'comment', {_comment("t.oid", "pg_trigger")})
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT t.tgisinternal AND {USER_NS} AND c.relname <> ALL(%(skip)s)""",
    "types": f"""
        SELECT n.nspname || '.' || t.typname, json_build_object(
            'kind', t.typtype,
            'labels', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e
                       WHERE e.enumtypid = t.oid),
            'base_type', CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
            'not_null', t.typnotnull, 'default', t.typdefault,
            'checks', (SELECT json_agg(con.conname || ' ' || pg_get_constraintdef(con.oid)
                       ORDER BY con.conname) FROM pg_constraint con WHERE con.contypid = t.oid),
            'attributes', (SELECT json_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                       ORDER BY a.attnum) FROM pg_attribute a
                       WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped),
            'range_of', (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r
                       WHERE r.rngtypid = t.oid),
            'owner', pg_get_userbyid(t.typowner),
            'privileges', {_acl("t.typacl", "T", "t.typowner")},
            'comment', {_comment("t.oid", "pg_type")})
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'b' AND t.typcategory <> 'A')
               OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class tc
                                               WHERE tc.oid = t.typrelid AND tc.relkind = 'c')))
          AND {USER_NS} AND {_not_ext("pg_type", "t.oid")}""",
    "policies": f"""
        SELECT n.nspname || '.' || c.relname || '.' || p.polname, json_build_object(
            'command', p.polcmd, 'permissive', p.polpermissive,
            'roles', (SELECT json_agg(CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r) END
                      ORDER BY 1) FROM unnest(p.polroles) r),
            'using', pg_get_expr(p.polqual, p.polrelid),
            'with_check', pg_get_expr(p.polwithcheck, p.polrelid))
        FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE {USER_NS}""",
    "rules": f"""
        SELECT n.nspname || '.' || c.relname || '.' || r.rulename, json_build_object(
            'definition', pg_get_ruledef(r.oid), 'enabled', r.ev_enabled,
            'comment', {_comment("r.oid", "pg_rewrite")})
        FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE r.rulename <> '_RETURN' AND {USER_NS}""",
    "default_privileges": """
        SELECT pg_get_userbyid(d.defaclrole) || ' ' || coalesce(n.nspname, '*') || ' '
               || d.defaclobjtype::text, json_build_object(
            'privileges', (SELECT json_agg(a::text ORDER BY a::text) FROM unnest(d.defaclacl) a))
        FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace""",
    "statistics": f"""
        SELECT n.nspname || '.' || s.stxname, json_build_object(
            'definition', pg_get_statisticsobjdef(s.oid),
            'comment', {_comment("s.oid", "pg_statistic_ext")})
        FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
        WHERE {USER_NS}""",
    "event_triggers": f"""
        SELECT e.evtname, json_build_object(
            'event', e.evtevent, 'function', e.evtfoid::regprocedure::text,
            'tags', e.evttags, 'enabled', e.evtenabled,
            'owner', pg_get_userbyid(e.evtowner))
        FROM pg_event_trigger e WHERE {_not_ext("pg_event_trigger", "e.oid")}""",
    # The rarer kinds only by name: whether each exists (a cast, an operator, a collation...).
    "other_objects": f"""
        SELECT o.type || ' ' || o.identity, '{{}}'::json
        FROM ({_OTHER_ROWS}) k
        CROSS JOIN LATERAL pg_identify_object(k.classid, k.oid, 0) o
        WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = k.classid
                          AND d.objid = k.oid AND d.deptype = 'e')""",
}


@functools.cache
def fields() -> dict[str, tuple[str, ...]]:
    """The property names of each section's objects, read from its query with the parser."""
    found: dict[str, tuple[str, ...]] = {}
    for section, query in QUERIES.items():
        text = query.replace("%(skip)s", "$1").replace("%%", "%")
        select = parse(text)[0].stmt
        value = select.targetList[1].val
        if isinstance(value, ast.TypeCast):  # '{}'::json: no properties
            found[section] = ()
            continue
        found[section] = tuple(str(arg.val.sval) for arg in value.args[::2])
    return found
