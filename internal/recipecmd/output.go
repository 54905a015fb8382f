package recipecmd

import (
	"encoding/json"
	"fmt"
)

// writeJSON prints v as indented JSON followed by a newline.
func (a *app) writeJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fail(fmt.Errorf("write json: %w", err))
	}
	return nil
}

// verbosef prints a progress note on stderr with -v.
func (a *app) verbosef(format string, args ...any) {
	if a.opts.verbose {
		fmt.Fprintf(a.stderr, "recipe: "+format+"\n", args...)
	}
}
