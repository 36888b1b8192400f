import SuginamiKit
import PostgresNIO

/// The PostgreSQL schema, versioned as the SQLite one is: each migration runs once, in one
/// transaction with its record in `suginami_migration`, in order. Processes that start at
/// once take an advisory lock, so one migrates and the others find it done.
///
/// Positions are PostGIS points and town extents PostGIS boxes, generated from the latitude
/// and longitude columns (so no write can set one and forget the other), with GiST indexes.
/// The audit log refuses updates, deletes and truncation by trigger, as SQLite's does.
enum PostgresSchema {
    /// The identifier of the first migration: a database that has run it is a SuginamiKit store.
    static let firstMigration = "v1: towns, facilities, operations (PostGIS)"

    /// The advisory-lock key of migrations (any 64-bit number the store keeps to itself).
    static let migrationLock: Int64 = 0x5347_4B5F_4D49_4752

    /// The migrations in order: an identifier and its statements.
    static let migrations: [(identifier: String, statements: [String])] = [
        (
            firstMigration,
            [
                "CREATE EXTENSION IF NOT EXISTS postgis",
                """
                CREATE TABLE town (
                    code text PRIMARY KEY CHECK (length(code) = 11),
                    name text NOT NULL,
                    households integer NOT NULL CHECK (households >= 0),
                    population integer NOT NULL CHECK (population >= 0),
                    min_latitude double precision NOT NULL, max_latitude double precision NOT NULL,
                    min_longitude double precision NOT NULL, max_longitude double precision NOT NULL,
                    extent geometry(Polygon, 4326) GENERATED ALWAYS AS
                        (ST_MakeEnvelope(min_longitude, min_latitude, max_longitude, max_latitude, 4326)) STORED,
                    document text NOT NULL
                )
                """,
                "CREATE INDEX town_extent ON town USING gist (extent)",
                """
                CREATE TABLE facility (
                    id text PRIMARY KEY CHECK (length(id) > 0),
                    kind text NOT NULL,
                    name text NOT NULL,
                    latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
                    longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
                    position geometry(Point, 4326) GENERATED ALWAYS AS
                        (ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)) STORED,
                    capacity integer CHECK (capacity IS NULL OR capacity >= 0),
                    source_id text NOT NULL,
                    document text NOT NULL
                )
                """,
                "CREATE INDEX facility_kind ON facility (kind)",
                "CREATE INDEX facility_position ON facility USING gist (position)",
                """
                CREATE TABLE shelter_status (
                    sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    facility_id text NOT NULL REFERENCES facility (id) ON DELETE CASCADE,
                    state text NOT NULL CHECK (state IN ('open', 'closed', 'full')),
                    occupancy integer CHECK (occupancy IS NULL OR occupancy >= 0),
                    reported_at timestamptz NOT NULL,
                    reported_by text NOT NULL,
                    document text NOT NULL
                )
                """,
                "CREATE INDEX shelter_status_facility ON shelter_status (facility_id, reported_at)",
                """
                CREATE TABLE damage_report (
                    ordinal bigint GENERATED ALWAYS AS IDENTITY,
                    id text PRIMARY KEY,
                    kind text NOT NULL,
                    latitude double precision NOT NULL,
                    longitude double precision NOT NULL,
                    position geometry(Point, 4326) GENERATED ALWAYS AS
                        (ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)) STORED,
                    observed_at timestamptz NOT NULL,
                    state text NOT NULL
                        CHECK (state IN ('submitted', 'verified', 'published', 'rejected', 'withdrawn')),
                    document text NOT NULL
                )
                """,
                "CREATE INDEX damage_report_state ON damage_report (state)",
                "CREATE INDEX damage_report_position ON damage_report USING gist (position)",
                """
                CREATE TABLE report_photo (
                    report_id text PRIMARY KEY REFERENCES damage_report (id) ON DELETE CASCADE,
                    media_type text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png')),
                    original bytea NOT NULL,
                    public_copy bytea NOT NULL
                )
                """,
                """
                CREATE TABLE access_token (
                    ordinal bigint GENERATED ALWAYS AS IDENTITY,
                    id text PRIMARY KEY,
                    secret_digest text NOT NULL UNIQUE CHECK (length(secret_digest) = 64),
                    role text NOT NULL CHECK (role IN ('public', 'staff', 'headquarters', 'admin')),
                    facility_id text,
                    revoked_at timestamptz,
                    document text NOT NULL,
                    CHECK ((role = 'staff') = (facility_id IS NOT NULL))
                )
                """,
                """
                CREATE TABLE audit_entry (
                    sequence bigint PRIMARY KEY CHECK (sequence >= 1),
                    payload text NOT NULL,
                    previous_hash text NOT NULL,
                    hash text NOT NULL
                )
                """,
                """
                CREATE FUNCTION suginami_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'the audit log is append-only';
                END $$
                """,
                """
                CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
                    FOR EACH ROW EXECUTE FUNCTION suginami_audit_is_append_only()
                """,
                """
                CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
                    FOR EACH STATEMENT EXECUTE FUNCTION suginami_audit_is_append_only()
                """,
                """
                CREATE TABLE idempotency_record (
                    token_id text NOT NULL,
                    key text NOT NULL,
                    fingerprint text NOT NULL,
                    answer text NOT NULL,
                    created_at double precision NOT NULL,
                    PRIMARY KEY (token_id, key)
                )
                """,
                "CREATE INDEX idempotency_record_age ON idempotency_record (created_at)",
                """
                CREATE TABLE public_event (
                    sequence bigint PRIMARY KEY,
                    type text NOT NULL,
                    data text NOT NULL
                )
                """,
            ]
        ),
        (
            "v2: buildings (PostGIS)",
            [
                """
                CREATE TABLE building (
                    id text PRIMARY KEY CHECK (length(id) > 0),
                    latitude double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
                    longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
                    position geometry(Point, 4326) GENERATED ALWAYS AS
                        (ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)) STORED,
                    structure text NOT NULL,
                    construction_year integer,
                    floors integer CHECK (floors IS NULL OR floors >= 1),
                    floor_area double precision CHECK (floor_area IS NULL OR floor_area > 0),
                    use text NOT NULL,
                    fire_resistance text,
                    seismic_retrofit text NOT NULL,
                    town_code text REFERENCES town (code) ON DELETE SET NULL,
                    is_synthetic boolean NOT NULL,
                    footprint text,
                    assumed_attributes text NOT NULL DEFAULT ''
                )
                """,
                "CREATE INDEX building_town ON building (town_code)",
                "CREATE INDEX building_position ON building USING gist (position)",
            ]
        ),
        (
            "v3: people needing support and the victims' register, sealed",
            // As on SQLite: only what filtering needs is in the clear; everything personal is
            // sealed (PersonalDataKey) with the id of the key that sealed it.
            [
                """
                CREATE TABLE person_needing_support (
                    id text PRIMARY KEY,
                    relief_centre_id text,
                    retain_until double precision NOT NULL,
                    key_id text NOT NULL,
                    sealed bytea NOT NULL
                )
                """,
                "CREATE INDEX person_needing_support_centre ON person_needing_support (relief_centre_id)",
                """
                CREATE TABLE safety_check (
                    sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    person_id text NOT NULL REFERENCES person_needing_support (id) ON DELETE CASCADE,
                    key_id text NOT NULL,
                    sealed bytea NOT NULL
                )
                """,
                "CREATE INDEX safety_check_person ON safety_check (person_id)",
                """
                CREATE TABLE household (
                    id text PRIMARY KEY,
                    building_id text NOT NULL,
                    retain_until double precision NOT NULL,
                    key_id text NOT NULL,
                    sealed bytea NOT NULL
                )
                """,
                "CREATE INDEX household_building ON household (building_id)",
                """
                CREATE TABLE damage_survey (
                    id text PRIMARY KEY,
                    building_id text NOT NULL,
                    surveyed_at double precision NOT NULL,
                    grade text NOT NULL,
                    document text NOT NULL
                )
                """,
                "CREATE INDEX damage_survey_building ON damage_survey (building_id, surveyed_at)",
                """
                CREATE TABLE resurvey_request (
                    sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    household_id text NOT NULL REFERENCES household (id) ON DELETE CASCADE,
                    key_id text NOT NULL,
                    sealed bytea NOT NULL
                )
                """,
                "CREATE INDEX resurvey_request_household ON resurvey_request (household_id)",
                """
                CREATE TABLE certificate (
                    year integer NOT NULL,
                    serial integer NOT NULL,
                    version integer NOT NULL,
                    household_id text NOT NULL REFERENCES household (id) ON DELETE CASCADE,
                    grade text NOT NULL,
                    key_id text NOT NULL,
                    sealed bytea NOT NULL,
                    PRIMARY KEY (year, serial, version)
                )
                """,
                "CREATE INDEX certificate_household ON certificate (household_id)",
                "CREATE TABLE certificate_serial (year integer PRIMARY KEY, last integer NOT NULL)",
                """
                CREATE TABLE support_application (
                    sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    household_id text NOT NULL REFERENCES household (id) ON DELETE CASCADE,
                    state text NOT NULL,
                    total bigint NOT NULL,
                    document text NOT NULL
                )
                """,
                "CREATE INDEX support_application_household ON support_application (household_id)",
            ]
        ),
    ]

    /// Brings the database up to date, after checking that it is the store's (or empty).
    static func migrate(_ store: PostgresStore, creatingSchema: Bool) async throws {
        try await store.transaction(timeout: PostgresStore.migrationTimeout) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: store.logger)
            let tables = try await connection.query(
                """
                SELECT table_name::text FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                """, logger: store.logger
            ).collect().map { try $0.decode(String.self) }
            var applied = Set<String>()
            if tables.contains("suginami_migration") {
                applied = Set(
                    try await connection.query("SELECT identifier FROM suginami_migration", logger: store.logger)
                        .collect().map { try $0.decode(String.self) })
            }
            // PostGIS's own table is there as soon as the extension is.
            let foreign = tables.filter { $0 != "spatial_ref_sys" && $0 != "suginami_migration" }
            if !foreign.isEmpty, !applied.contains(firstMigration) {
                throw StoreError.notAStore(
                    path: store.postgres.description,
                    reason:
                        "it holds tables that SuginamiKit did not create (\(foreign.sorted().prefix(3).joined(separator: ", ")))"
                        + "; they are left untouched")
            }
            if !tables.contains("suginami_migration") {
                guard creatingSchema else {
                    throw StoreError.notAStore(
                        path: store.postgres.description, reason: "it holds no SuginamiKit store yet")
                }
                try await connection.query(
                    """
                    CREATE TABLE suginami_migration (
                        identifier text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                    """, logger: store.logger)
            }
            for migration in migrations where !applied.contains(migration.identifier) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: store.logger)
                }
                try await connection.query(
                    "INSERT INTO suginami_migration (identifier) VALUES (\(migration.identifier))", logger: store.logger
                )
            }
        }
    }
}
