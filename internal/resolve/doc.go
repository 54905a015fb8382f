// Package resolve is the dependency resolver of the recipe package manager.
//
// It works on its own input model (Package, Dep, Request, Installed), which
// the command line builds from decoded recipes and the installed database.
// A Universe indexes the available packages once; Universe.Resolve turns
// requests into a Plan in install order, or an error that explains why it
// cannot.
//
// # Semantics
//
// Candidates. A dependency on a name is satisfied by a package of that
// name whose version matches the constraint, or by a package that provides
// the name: a versioned provide ("pkg-config = 1.9") is checked against the
// constraint, an unversioned one satisfies only an unconstrained
// dependency, as in rpm. Only one version of each name is selected.
// Candidates are tried packages of the name first, newest first
// (version.Compare), then providers ordered by name, newest first.
//
// Search. Dependencies wait in a work list: the requests first, in order,
// then the dependencies of selected packages ordered by the rank of their
// name, ranks being a topological order of the name graph of the whole
// universe (a package before what any of its versions depends on). So
// when the first dependency on a name is taken, every other dependency on
// it that the current selection implies is already queued, and the
// candidates satisfying all of them are tried first: version constraints
// rarely need backtracking. A dependency already satisfied by a selected
// package, then by an installed one, reuses it; otherwise the first viable
// candidate is selected and the others kept in a choice point. At a dead
// end the search backjumps (conflict-directed backjumping): every selection
// records what it depends on (its requirer, its choice point, the
// selections that ruled out better candidates), so the dead end's causes
// name the choice points that could repair it; the newest of them tries its
// next candidate, the ones above it are dropped, and an exhausted choice
// point passes its accumulated causes further down. A conflict with an
// installed package blames every open choice point (chronological
// backtracking), since any of them might lead to replacing it. Undo goes
// through a trail. The search is iterative, never depends on map order, and
// is therefore deterministic; Options.MaxAttempts bounds it (an
// *AbandonedError).
//
// Installed packages. An installed package satisfies a dependency when its
// version (or a provide) matches; its own dependencies are taken as
// satisfied. If it does not match, a matching candidate of the same name
// replaces it (the step shows upgrade, downgrade or rebuild); the
// replacement must still satisfy every requirement the installed version
// satisfied. A request is satisfied by an installed package as well (no
// upgrade without a constraint asking for it), unless the request switches
// on a feature the installed package lacks, or off one it has, in which case
// the package is rebuilt from the newest matching recipe.
//
// Conflicts. A conflict ("conflicts tool < 4") applies both ways: a
// candidate is rejected when it conflicts with a selected or installed
// package (by name or provide, with the same provide rules as
// dependencies), or when one of those conflicts with it. A package never
// conflicts with itself or the installed version it replaces, so a package
// may provide and conflict with the same virtual name. Conflicts with
// installed packages are checked when a candidate is chosen; the resolver
// never removes packages.
//
// Features. A package's enabled set is its defaults, plus the features the
// requests switch on ("x"), minus those they switch off ("-x"), closed under
// implies. Switching on a feature no version of the package declares is an
// error (a *FeatureError naming the package's features); switching off a
// feature that an enabled one implies is an error too. Dependencies get
// their default features. A Dep with If "x" applies only when x is enabled,
// "!x" only when it is not.
//
// Order and cycles. Build and runtime dependencies alike come before the
// package that needs them (a recipe's configure steps may run its runtime
// dependencies). Steps are listed in depth-first post-order from the
// requests in order, dependencies in declaration order. Any cycle among the selected
// packages, a package depending on itself included, is a *CycleError that
// prints a shortest cycle of each strongly connected component, rotated to
// start at its alphabetically first member ("a -> b -> c -> a"). Cycles are
// detected on the final selection; the search does not backtrack to avoid
// them. Graph walks use explicit stacks, so deep chains cannot overflow the
// goroutine stack.
//
// Explanations. An *UnsatisfiableError names the dependency, every
// requirement on that name in force at the dead end (requests, then the
// dependencies of selected packages, the failing one last) with the
// package and position that declared it, what is available, and why
// matching candidates were rejected. When several dead ends were met, the
// one reached furthest into the search is reported (earliest on ties). A name nothing
// provides gets a "did you mean" list of the closest known names
// (Levenshtein distance).
//
// Queries. Universe.Tree shows what recipes ask for (for "recipe deps");
// Universe.ReverseDeps lists who depends on a name (for "deps --reverse").
package resolve
