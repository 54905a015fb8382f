package sexpr_test

import (
	"fmt"
	"os"

	"github.com/levitateos/levitate/internal/sexpr"
)

func ExampleParse() {
	nodes, err := sexpr.Parse("x.recipe", []byte("(package \"x\"\n  (deps \"a\" b))"))
	if err != nil {
		fmt.Println(err)
		return
	}
	deps := nodes[0].Children[2]
	fmt.Println(deps.Head(), deps.Pos, deps.Children[2].Kind, deps.Children[2].Pos)

	_, err = sexpr.Parse("bad.recipe", []byte("(package \"x\n"))
	fmt.Println(err)
	// Output:
	// deps x.recipe:2:3 atom x.recipe:2:13
	// bad.recipe:1:10: unterminated string
}

func ExampleFormat() {
	nodes, _ := sexpr.Parse("", []byte(`(package "x" "1.0"   ; the version
(deps (build "meson") (runtime "zlib >= 1.2"))  (build (extract tar-gz) (configure) (compile)))`))
	os.Stdout.Write(sexpr.Format(nodes))
	// Output:
	// (package "x" "1.0" ; the version
	//   (deps (build "meson") (runtime "zlib >= 1.2"))
	//   (build (extract tar-gz) (configure) (compile)))
}
