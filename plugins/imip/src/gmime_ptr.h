// Owning handles for GObject-based GMime objects, so every early return unrefs.
#ifndef MAGENT_IMIP_GMIME_PTR_H_
#define MAGENT_IMIP_GMIME_PTR_H_

#include <gmime/gmime.h>

#include <memory>

namespace magent::imip::internal {

struct GObjectUnref {
  void operator()(gpointer object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

// g_mime_init() once per process, on first use.
void EnsureGMime();

}  // namespace magent::imip::internal

#endif  // MAGENT_IMIP_GMIME_PTR_H_
