// The models the engines take and give (positions, buildings, towns, facilities) and the core
// (input errors, output directories) come with `import SuginamiGIS`.
@_exported import SuginamiKit
