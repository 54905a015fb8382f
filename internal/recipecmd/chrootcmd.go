package recipecmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/levitateos/levitate/internal/chroot"
	"github.com/levitateos/levitate/internal/run"
	"github.com/spf13/cobra"
)

func newChrootCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "chroot TARGET [COMMAND [ARG...]]",
		Short: "Run a command or a shell inside TARGET (like arch-chroot)",
		Long: `Run COMMAND (default: /bin/bash, else /bin/sh) inside TARGET with /proc,
/sys (and efivarfs where the host has it), /dev, /run and /tmp mounted and
the host's /etc/resolv.conf bound over the target's, all in a private mount
namespace: the mounts disappear when the command ends, however it ends,
and are never seen outside. The exit code is the command's.`,
		Example: `  recipe chroot /mnt
  recipe chroot /mnt passwd
  recipe chroot /mnt bootctl install`,
		Args: minArgs(1, "TARGET"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.noJSON(cmd); err != nil {
				return err
			}
			target, err := filepath.Abs(args[0])
			if err != nil {
				return fail(err)
			}
			if err := chroot.CheckRoot(); err != nil {
				return fail(err)
			}
			if err := chroot.Prepare(target); err != nil {
				return fail(err)
			}
			argv := args[1:]
			if len(argv) == 0 {
				argv = []string{defaultShell(target)}
			}
			c := run.Cmd{Argv: chroot.Argv(target, chroot.ResolvTarget(target), argv...),
				Stdin: a.stdin, Stdout: a.stdout, Stderr: a.stderr}
			err = run.Interactive(cmd.Context(), c)
			var re *run.Error
			if errors.As(err, &re) && re.ExitCode > 0 {
				return silent(re.ExitCode, fmt.Errorf("%s exited with %d", argv[0], re.ExitCode))
			}
			if err != nil {
				return fail(err)
			}
			return nil
		},
	}
	cmd.Flags().SetInterspersed(false)
	return cmd
}

// defaultShell is bash when the target has it, else sh.
func defaultShell(target string) string {
	if _, err := os.Stat(filepath.Join(target, "bin/bash")); err == nil {
		return "/bin/bash"
	}
	return "/bin/sh"
}
