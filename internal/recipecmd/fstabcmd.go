package recipecmd

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/levitateos/levitate/internal/fstab"
	"github.com/spf13/cobra"
)

// mountinfoPath is the kernel's mount table of the calling process.
const mountinfoPath = "/proc/self/mountinfo"

func newFstabCmd(a *app) *cobra.Command {
	var byLabel, byUUID bool
	var tag string
	cmd := &cobra.Command{
		Use:   "fstab [-U|-L|-t TAG] TARGET",
		Short: "Print fstab lines for the file systems mounted under TARGET (like genfstab)",
		Long: `Print fstab(5) lines for the block-device file systems mounted at TARGET
and below, with their mount points relative to TARGET and their current
options, in mount order. Devices are named by UUID (-U, the default),
LABEL (-L) or -t TAG: UUID, LABEL, PARTUUID, PARTLABEL or DEVICE (the
device path). A device without the tag is named by its path, with a
warning on stderr. Pseudo file systems (proc, tmpfs...) are left out.
Typical use: recipe fstab /mnt >> /mnt/etc/fstab`,
		Args: exactArgs(1, "TARGET"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.noJSON(cmd); err != nil {
				return err
			}
			t := strings.ToUpper(tag)
			switch {
			case byLabel && byUUID, (byLabel || byUUID) && tag != "":
				return usage("-U, -L and -t exclude each other")
			case byLabel:
				t = fstab.TagLabel
			case t == "":
				t = fstab.TagUUID
			}
			if !slices.Contains(fstab.Tags(), t) {
				return usage("unknown tag %q (known: %s)", tag, strings.Join(fstab.Tags(), ", "))
			}
			target, err := filepath.Abs(args[0])
			if err != nil {
				return fail(err)
			}
			// The mount table shows the real path; follow symlinks as
			// the kernel did when mounting.
			if real, err := filepath.EvalSymlinks(target); err == nil {
				target = real
			}
			f, err := os.Open(mountinfoPath)
			if err != nil {
				return fail(err)
			}
			defer f.Close()
			mounts, err := fstab.ParseMountinfo(f, mountinfoPath)
			if err != nil {
				return fail(err)
			}
			entries, warns, err := fstab.Entries(cmd.Context(), mounts, target, fstab.Options{Tag: t})
			if err != nil {
				return fail(err)
			}
			for _, w := range warns {
				fmt.Fprintf(a.stderr, "recipe: warning: %s\n", w)
			}
			if len(entries) == 0 {
				return fail(fmt.Errorf("no block device is mounted at or below %s", target))
			}
			if err := fstab.Write(a.stdout, entries); err != nil {
				return fail(err)
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&byUUID, "uuid", "U", false, "name devices by UUID (the default)")
	cmd.Flags().BoolVarP(&byLabel, "label", "L", false, "name devices by file system label")
	cmd.Flags().StringVarP(&tag, "tag", "t", "", "name devices by UUID, LABEL, PARTUUID, PARTLABEL or DEVICE")
	return cmd
}
