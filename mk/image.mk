# Runner image targets; included by the main Makefile.
#   make image        build the runner image (jar if missing, local JRE base if missing)
#   make image-base   only the local debootstrapped JRE base image
#   make image-test   build it, build bundle images FROM it, check them (no Docker engine needed)
# Needs root, podman, buildah and debootstrap (apt-get install -y podman buildah debootstrap).
# See docs/image.md.

# JRE base the runner image is built FROM; the default is made locally by image-base.
RUNNER_BASE_IMAGE ?= localhost/schemagate-base-jre:bookworm
RUNNER_IMAGE ?= localhost/schemagate-runner:dev

# Resolved at include time, so the targets work from any directory make runs in.
IMAGE_SCRIPTS := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../migrations-image/image)
IMAGE_ENV = RUNNER_BASE_IMAGE='$(RUNNER_BASE_IMAGE)' RUNNER_IMAGE='$(RUNNER_IMAGE)'

.PHONY: image image-base image-test

image-base: ## only the local debootstrapped JRE base image
	$(IMAGE_ENV) $(IMAGE_SCRIPTS)/base.sh

image: ## build the runner image with podman (localhost/schemagate-runner:dev)
	$(IMAGE_ENV) $(IMAGE_SCRIPTS)/build.sh

image-test: ## build the runner and bundle images, run lint and verify inside them (no Docker engine)
	$(IMAGE_ENV) $(IMAGE_SCRIPTS)/image-test.sh
