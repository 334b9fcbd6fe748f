.class public interface abstract Lorg/hypercompat/shim/gms/tasks/OnSuccessListener;
.super Ljava/lang/Object;
.source "OnSuccessListener.smali"

# Portable stand-in for com.google.android.gms.tasks.OnSuccessListener.

.method public abstract onSuccess(Ljava/lang/Object;)V
.end method
