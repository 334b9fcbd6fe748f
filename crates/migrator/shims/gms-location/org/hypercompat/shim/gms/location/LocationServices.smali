.class public final Lorg/hypercompat/shim/gms/location/LocationServices;
.super Ljava/lang/Object;
.source "LocationServices.smali"

# Portable stand-in for com.google.android.gms.location.LocationServices.

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static getFusedLocationProviderClient(Landroid/content/Context;)Lorg/hypercompat/shim/gms/location/FusedLocationProviderClient;
    .registers 2
    new-instance v0, Lorg/hypercompat/shim/gms/location/FusedLocationProviderClient;
    invoke-direct {v0, p0}, Lorg/hypercompat/shim/gms/location/FusedLocationProviderClient;-><init>(Landroid/content/Context;)V
    return-object v0
.end method

.method public static getFusedLocationProviderClient(Landroid/app/Activity;)Lorg/hypercompat/shim/gms/location/FusedLocationProviderClient;
    .registers 2
    new-instance v0, Lorg/hypercompat/shim/gms/location/FusedLocationProviderClient;
    invoke-direct {v0, p0}, Lorg/hypercompat/shim/gms/location/FusedLocationProviderClient;-><init>(Landroid/content/Context;)V
    return-object v0
.end method
