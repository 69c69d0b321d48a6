# Kubernetes mode: the kubeconfig, list/watch of the Tinkerbell and Rufio
# resources (decoding per API version, one file each), the cluster's
# picture in the fleet store and actions as objects; doc/kubernetes.md.
libracktop_a_SOURCES += src/kubeconfig.c src/kubeconfig.h src/kube.c src/kube.h \
	src/kube_int.h src/kube_store.c src/kube_snapshot.c src/kube_wfrun.c src/kube_bmc.c src/kube_watch.c src/kube_hosts.c \
	src/kube_decode_v1alpha1.c src/batch_sweep.c src/batch_sweep.h

check_PROGRAMS += tests/unit/test_kube
tests_unit_test_kube_SOURCES = tests/unit/test_kube.c
tests_unit_test_kube_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_kube_LDADD = $(TEST_LIBS)
TESTS += tests/unit/test_kube

# Against a real kube-apiserver (../shared/kube-apiserver; src/setup.sh
# builds it).
check_PROGRAMS += tests/integration/test_kube_wf
tests_integration_test_kube_wf_SOURCES = tests/integration/test_kube_wf.c
tests_integration_test_kube_wf_CFLAGS = $(TEST_CFLAGS)
tests_integration_test_kube_wf_LDADD = $(TEST_LIBS)
TESTS += tests/integration/test_kube_wf
TESTS += tests/integration/kube.sh tests/screen/kube_screen.sh tests/integration/batch_sweep.sh
EXTRA_DIST += tests/integration/kube.sh tests/integration/kube_lib.sh \
	tests/integration/batch_sweep.sh \
	tests/screen/kube_screen.sh doc/kubernetes.md

# The screen offers what the mode can do; unknown GPUs show "-".
TESTS += tests/screen/kube_menu.sh
EXTRA_DIST += tests/screen/kube_menu.sh
# r's direct BMC read: --cacert, insecureTLS and the credentials file.
TESTS += tests/screen/kube_bmc_tls.sh
EXTRA_DIST += tests/screen/kube_bmc_tls.sh

racktop_SOURCES += src/kube_main.c src/kube_main.h
