# Sourced by bench/install.sh and bench/install-big.sh: make_big_package
# DIR writes DIR/recipes/big.tar.zst (100 files of 1 MiB, half random,
# half text, ~100 MB) and DIR/recipes/big.recipe with its sha256, once:
# DIR/done marks a finished set.
make_big_package() {
	local big=$1 i sum
	[ -f "$big/done" ] && return 0
	rm -rf "$big" && mkdir -p "$big/recipes" "$big/src/big"
	for i in $(seq -w 0 99); do
		if [ $((10#$i % 2)) -eq 0 ]; then
			head -c 1048576 /dev/urandom >"$big/src/big/f$i"
		else
			yes "line $i of a compressible benchmark file" | head -c 1048576 >"$big/src/big/f$i" || true # yes dies of SIGPIPE
		fi
	done
	tar --zstd -cf "$big/recipes/big.tar.zst" -C "$big/src" big
	rm -rf "$big/src"
	sum=$(sha256sum "$big/recipes/big.tar.zst" | cut -d' ' -f1)
	cat >"$big/recipes/big.recipe" <<RECIPE
(package "big" "1.0"
  (description "a ~100 MB benchmark package")
  (acquire (file "big.tar.zst" (sha256 "$sum")))
  (build (extract tar-zst))
  (install (to-share "big" "big")))
RECIPE
	touch "$big/done"
}
